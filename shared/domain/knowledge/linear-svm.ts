/**
 * One-vs-rest linear support vector machine (L2-regularised, squared hinge loss) trained by dual coordinate descent
 * with shrinking: the algorithm of LIBLINEAR (Hsieh et al., ICML 2008), written out for sparse rows in typed arrays.
 * Deterministic: the visiting order is shuffled by a fixed-seed generator, so the same rows give the same weights.
 */

/** Sparse rows in compressed form: row r has indices[rowStart[r] .. rowStart[r+1]) with the matching values. */
export interface SparseRows {
  readonly rowStart: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
  readonly columns: number;
}

export interface SvmOptions {
  /** Cost of a margin violation (LIBLINEAR's C). */
  readonly c?: number;
  /** Stopping tolerance on the projected gradient. */
  readonly tolerance?: number;
  /** Upper bound on passes over the data per class. */
  readonly maxIterations?: number;
  /** Value of the constant bias feature. */
  readonly bias?: number;
  /**
   * Weigh each class's positive examples by n / (classes × n_class), so that an entry with many variants does not
   * crowd out one with few (LIBLINEAR's per-class weighted C for the positive side).
   */
  readonly balanced?: boolean;
  /** Train only these classes (the other classes' weights stay zero): one machine per class on its own rows. */
  readonly only?: readonly number[];
}

export interface LinearModel {
  readonly classes: number;
  /** Feature-major weights: weights[feature * classes + class]. */
  readonly weights: Float32Array;
  /** Per-class bias (already multiplied by the bias feature's value). */
  readonly biases: Float32Array;
}

/** mulberry32: a small deterministic generator for the visiting order. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function trainOneVsRest(rows: SparseRows, labels: Int32Array, classes: number, options: SvmOptions = {}): LinearModel {
  const c = options.c ?? 1;
  const eps = options.tolerance ?? 0.1;
  const maxIterations = options.maxIterations ?? 60;
  const bias = options.bias ?? 1;
  const n = labels.length;
  const { rowStart, indices, values, columns } = rows;
  const diagNegative = 0.5 / c;
  const counts = new Float64Array(classes);
  for (let i = 0; i < n; i++) counts[labels[i]!]!++;
  const squares = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = bias * bias;
    for (let k = rowStart[i]!; k < rowStart[i + 1]!; k++) s += values[k]! * values[k]!;
    squares[i] = s;
  }
  const weights = new Float32Array(columns * classes);
  const biases = new Float32Array(classes);
  const w = new Float64Array(columns);
  const alpha = new Float64Array(n);
  const index = new Int32Array(n);
  for (let cls = 0; cls < classes; cls++) {
    if (options.only && !options.only.includes(cls)) continue;
    w.fill(0);
    alpha.fill(0);
    let b = 0;
    for (let i = 0; i < n; i++) index[i] = i;
    const diagPositive = options.balanced && counts[cls]! > 0 ? 0.5 / (c * Math.min(n / (classes * counts[cls]!), 10)) : diagNegative;
    const random = generator(0x9e3779b9 ^ (cls * 2654435761));
    let activeSize = n;
    let pgMaxOld = Infinity;
    for (let iteration = 0; iteration < maxIterations; iteration++) {
      let pgMaxNew = -Infinity;
      let pgMinNew = Infinity;
      for (let s = 0; s < activeSize; s++) {
        const j = s + Math.floor(random() * (activeSize - s));
        const tmp = index[s]!;
        index[s] = index[j]!;
        index[j] = tmp;
      }
      for (let s = 0; s < activeSize; s++) {
        const i = index[s]!;
        const y = labels[i] === cls ? 1 : -1;
        const start = rowStart[i]!;
        const end = rowStart[i + 1]!;
        let dot = b * bias;
        for (let k = start; k < end; k++) dot += w[indices[k]!]! * values[k]!;
        const diag = y > 0 ? diagPositive : diagNegative;
        const g = y * dot - 1 + alpha[i]! * diag;
        let pg = 0;
        if (alpha[i] === 0) {
          if (g > pgMaxOld) {
            activeSize--;
            index[s] = index[activeSize]!;
            index[activeSize] = i;
            s--;
            continue;
          }
          if (g < 0) pg = g;
        } else {
          pg = g;
        }
        if (pg > pgMaxNew) pgMaxNew = pg;
        if (pg < pgMinNew) pgMinNew = pg;
        if (Math.abs(pg) > 1e-12) {
          const old = alpha[i]!;
          const next = Math.max(old - g / (squares[i]! + diag), 0);
          alpha[i] = next;
          const d = (next - old) * y;
          for (let k = start; k < end; k++) w[indices[k]!]! += d * values[k]!;
          b += d * bias;
        }
      }
      if (pgMaxNew - pgMinNew <= eps) {
        if (activeSize === n) break;
        activeSize = n;
        pgMaxOld = Infinity;
        continue;
      }
      pgMaxOld = pgMaxNew <= 0 ? Infinity : pgMaxNew;
    }
    for (let f = 0; f < columns; f++) weights[f * classes + cls] = w[f]!;
    biases[cls] = b * bias;
  }
  return { classes, weights, biases };
}
