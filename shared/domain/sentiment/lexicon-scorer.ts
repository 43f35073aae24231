/**
 * The rule part of the local sentiment engine: one left-to-right pass over the normalised text (NFKC, lower case,
 * Traditional folded to Simplified) that matches lexicon terms longest-first (Chinese by characters, English on word
 * boundaries, emoji and emoticons anywhere), applies the negator / intensifier / diminisher that precedes a term
 * within a short window, weighs what follows a contrast (但是, "but") above what came before it and a concessive
 * clause (虽然, "although") below the rest, and scales negative terms by emphasis (!!!, ???, 了了了, SHOUTING).
 *
 * English words are also read through their everyday variants: curly apostrophes (don’t), dropped apostrophes
 * (dont), elongation (sooo, baaad), camel-case hashtags (#CustomerServiceFail) and a regular inflection of a lexicon
 * word (sucked → suck, delaying → delay) when the form itself is not an entry. No allocation per character beyond
 * the hits; a few microseconds per message.
 */
import { normalise } from '../knowledge/text-features.ts';
import type { Emotion } from './sentiment.ts';
import {
  EN_CONCESSIVE,
  EN_CONTRAST,
  EN_DIMINISHERS,
  EN_INTENSIFIERS,
  EN_LEXICON,
  EN_NEGATORS,
  SYMBOL_LEXICON,
  ZH_CONCESSIVE,
  ZH_CONTRAST,
  ZH_DIMINISHERS,
  ZH_INTENSIFIERS,
  ZH_LEXICON,
  ZH_NEGATORS,
} from './lexicon.ts';

export interface LexiconTerm {
  readonly term: string;
  readonly weight: number;
  readonly emotion?: Emotion;
  readonly cue?: string;
}

/** One matched term after its modifiers. */
export interface Hit {
  readonly term: string;
  /** Signed strength after negation, intensity and clause weighting. */
  readonly weight: number;
  /** The emotion it signals after negation (a negated positive reads as disappointment; a negated negative as none). */
  readonly emotion?: Emotion;
  readonly cue?: string;
  readonly negated: boolean;
}

export interface LexiconScore {
  /** Sum of positive weights (scaled down with everything else when either side passes MASS_CAP). */
  readonly positive: number;
  /** Sum of negative weights, as a positive number. */
  readonly negative: number;
  /** Sum of |weight| per emotion. */
  readonly emotions: ReadonlyMap<Emotion, number>;
  /** Factor ≥ 1 from exclamation marks, repeated question marks, repeated characters and shouting. */
  readonly emphasis: number;
  readonly hits: readonly Hit[];
  readonly cues: readonly string[];
}

const EMOTION_NAMES = new Set<Emotion>(['angry', 'anxious', 'disappointed', 'fearful', 'happy', 'surprised', 'disgusted', 'neutral']);

export function parseLexicon(source: string): LexiconTerm[] {
  const terms: LexiconTerm[] = [];
  for (const raw of source.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('//')) continue;
    const parts = line.split(/\s+/);
    // English phrases have spaces: the weight is the first numeric field.
    const at = parts.findIndex((p, i) => i > 0 && /^[-+]?\d+(\.\d+)?$/.test(p));
    if (at < 1) throw new Error(`lexicon line without a weight: "${line}"`);
    const term = parts.slice(0, at).join(' ');
    const weight = Number(parts[at]);
    let emotion: Emotion | undefined;
    let cue: string | undefined;
    for (const extra of parts.slice(at + 1)) {
      if (extra.startsWith('#')) cue = extra.slice(1);
      else if (EMOTION_NAMES.has(extra as Emotion)) emotion = extra as Emotion;
      else throw new Error(`lexicon line with an unknown field "${extra}": "${line}"`);
    }
    terms.push({ term: normalise(term), weight, ...(emotion ? { emotion } : {}), ...(cue ? { cue } : {}) });
  }
  return terms;
}

type Modifier = { readonly kind: 'negator' } | { readonly kind: 'scale'; readonly factor: number } | { readonly kind: 'contrast' } | { readonly kind: 'concessive' };

const cjk = /[\u3400-\u9fff\uf900-\ufaff]/u;
const wordChar = /[a-z0-9']/;
const CLAUSE_END = new Set([...',.!?;:，。！？；：…~～\n\r\t()（）【】[]"“”']);
const SENTENCE_END = new Set([...'.!?;。！？；…\n']);
const MAX_PHRASE_WORDS = 4;
/** Chinese: a modifier applies to a term that starts at most this many characters after it ends. */
const ZH_WINDOW = Number(process.env.X_ZHW ?? 3);
/** English: … at most this many words after it. */
const EN_WINDOW = 2;
/**
 * The engine caps each side's mass at 8; a long review can pass that on both sides and then reads as a tie. Above this
 * mass all figures are scaled down together, which keeps the balance between the two sides (and the emotions).
 */
const MASS_CAP = 7.5;
/**
 * An English negator that no term takes ("no food, no water", "still haven't heard", "can't get anyone on the phone")
 * is itself a mild complaint: in customer-service English a bare "no" / "never" / "didn't" mostly reports something
 * that went wrong.
 */
const DANGLING_NEGATION: LexiconTerm = { term: 'no', weight: -Number(process.env.X_DANG ?? 0.8) };
/** A clause that opens with one of these and ends with "?" asks for information ("is my flight cancelled?"). */
const INFO_QUESTION = new Set(['is', 'are', 'am', 'was', 'were', 'can', 'could', 'do', 'does', 'did', 'will', 'would', 'should', 'when', 'what', 'where', 'which', 'who', 'how', 'any', 'has', 'have']);

export interface LexiconIndex {
  /** Chinese (and other non-word) terms by their first character, longest first. */
  readonly byFirstChar: ReadonlyMap<string, readonly LexiconTerm[]>;
  /** English words and phrases (single spaces). */
  readonly phrases: ReadonlyMap<string, LexiconTerm>;
  readonly zhModifiers: ReadonlyMap<string, readonly (readonly [string, Modifier])[]>;
  readonly enModifiers: ReadonlyMap<string, Modifier>;
}

export function buildLexiconIndex(terms: readonly LexiconTerm[]): LexiconIndex {
  const byFirstChar = new Map<string, LexiconTerm[]>();
  const phrases = new Map<string, LexiconTerm>();
  for (const t of terms) {
    if (/^[a-z0-9' ]+$/.test(t.term)) {
      phrases.set(t.term, t);
    } else {
      const first = t.term[0]!;
      const list = byFirstChar.get(first) ?? [];
      const existing = list.findIndex((x) => x.term === t.term);
      if (existing >= 0) list[existing] = t;
      else list.push(t);
      byFirstChar.set(first, list);
    }
  }
  for (const list of byFirstChar.values()) list.sort((a, b) => b.term.length - a.term.length);
  const zhModifiers = new Map<string, Array<readonly [string, Modifier]>>();
  const addZh = (term: string, modifier: Modifier) => {
    const list = zhModifiers.get(term[0]!) ?? [];
    list.push([term, modifier]);
    zhModifiers.set(term[0]!, list);
  };
  for (const n of [...ZH_NEGATORS, ...(process.env.X_ZHNEG ? process.env.X_ZHNEG.split(',') : [])]) addZh(n, { kind: 'negator' });
  for (const [t, factor] of [...ZH_INTENSIFIERS, ...ZH_DIMINISHERS, ...(process.env.X_ZHDIM ? process.env.X_ZHDIM.split(',').map((x) => [x.split(':')[0]!, Number(x.split(':')[1])] as const) : [])]) addZh(t, { kind: 'scale', factor });
  for (const c of process.env.X_ZHC ? process.env.X_ZHC.split(',') : ZH_CONTRAST) addZh(c, { kind: 'contrast' });
  for (const c of ZH_CONCESSIVE) addZh(c, { kind: 'concessive' });
  for (const list of zhModifiers.values()) list.sort((a, b) => b[0].length - a[0].length);
  const enModifiers = new Map<string, Modifier>();
  for (const n of EN_NEGATORS) enModifiers.set(n, { kind: 'negator' });
  for (const [t, factor] of [...EN_INTENSIFIERS, ...EN_DIMINISHERS]) enModifiers.set(t, { kind: 'scale', factor });
  for (const c of EN_CONTRAST) enModifiers.set(c, { kind: EN_CONCESSIVE.includes(c) ? 'concessive' : 'contrast' });
  return { byFirstChar, phrases, zhModifiers, enModifiers };
}

export const DEFAULT_LEXICON: readonly LexiconTerm[] = [...parseLexicon(ZH_LEXICON), ...parseLexicon(EN_LEXICON), ...parseLexicon(SYMBOL_LEXICON)];
let defaultIndex: LexiconIndex | undefined;
export function defaultLexiconIndex(): LexiconIndex {
  defaultIndex ??= buildLexiconIndex(DEFAULT_LEXICON);
  return defaultIndex;
}

/** Where an English negator stood, and whether a term took it. */
interface NegatorSpot {
  readonly clause: number;
  readonly segment: number;
  readonly sentence: number;
  consumed: boolean;
  zh?: boolean;
}
const ZH_DANG = new Set((process.env.X_ZHDANGSET ?? '').split(','));
const ZH_DANGLING: LexiconTerm = { term: '没', weight: -Number(process.env.X_ZHDANG ?? 0) };

interface PendingModifier {
  negated: boolean;
  factor: number;
  /** Position (characters for Chinese, word count for English) after which it expires. */
  expires: number;
  spot?: NegatorSpot;
}

interface RawHit {
  term: LexiconTerm;
  negated: boolean;
  factor: number;
  clause: number;
  segment: number;
  sentence: number;
}

/**
 * Before normalising: curly apostrophes become straight ones, camel-case hashtags are split into words
 * (#CustomerServiceFail → # Customer Service Fail) and a Latin letter repeated three times or more is kept twice
 * (sooooo → soo, goooood → good; the word lookup then tries the single letter).
 */
function prepare(input: string): string {
  let text = input;
  if (text.includes('://') || text.includes('www.')) text = text.replace(/(?:https?:\/\/|www\.)\S+/gi, ' ');
  if (/[\u2018\u2019\u02bc`´]/.test(text)) text = text.replace(/[\u2018\u2019\u02bc`´]/g, "'");
  if (text.includes('#')) text = text.replace(/#([A-Za-z][A-Za-z0-9]*)/g, (_m, tag: string) => `# ${tag.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')}`);
  if (/([A-Za-z])\1\1/.test(text)) text = text.replace(/([A-Za-z])\1{2,}/g, '$1$1');
  return text;
}

/** An English word or phrase as written, then without apostrophes (doesn't → doesnt). */
function lookupPhrase(index: LexiconIndex, phrase: string): LexiconTerm | undefined {
  return index.phrases.get(phrase) ?? (phrase.includes("'") ? index.phrases.get(phrase.replace(/'/g, '')) : undefined);
}

function lookupModifier(index: LexiconIndex, phrase: string): Modifier | undefined {
  return index.enModifiers.get(phrase) ?? (phrase.includes("'") ? index.enModifiers.get(phrase.replace(/'/g, '')) : undefined);
}

/**
 * A single word that is neither an entry nor a modifier: its de-elongated form (soo → so, baad → bad) or its stem by
 * a regular English inflection (sucked → suck, hated → hate, stopped → stop, delaying → delay, apologizes → apologize,
 * worries → worry). Only stems of three letters or more, so that short words do not turn into slang entries.
 */
function variantOf(index: LexiconIndex, word: string): LexiconTerm | Modifier | undefined {
  const bare = word.replace(/'/g, '');
  // 3hrs, 45min
  const unit = /^\d+([a-z]{2,})$/.exec(bare);
  if (unit) return index.phrases.get(unit[1]!);
  if (/([a-z])\1/.test(bare)) {
    const single = bare.replace(/([a-z])\1+/g, '$1');
    const found = index.phrases.get(single) ?? index.enModifiers.get(single);
    if (found) return found;
  }
  if (bare.length < 5) return undefined;
  const stems: string[] = [];
  const cut = (suffix: string, ...adds: string[]) => {
    if (!bare.endsWith(suffix)) return;
    const stem = bare.slice(0, -suffix.length);
    for (const add of adds) stems.push(stem + add);
    // stopped → stop, planning → plan
    if (suffix !== 's' && suffix !== 'es' && stem.length >= 3 && stem[stem.length - 1] === stem[stem.length - 2]) stems.push(stem.slice(0, -1));
  };
  cut('ies', 'y');
  cut('ied', 'y');
  cut('es', '');
  cut('s', '');
  cut('ed', '', 'e');
  cut('ing', '', 'e');
  for (const stem of stems) {
    if (stem.length < 3) continue;
    const found = index.phrases.get(stem);
    if (found) return found;
  }
  return undefined;
}

/** Scores one text with the lexicon and rules. */
export function scoreWithLexicon(input: string, index: LexiconIndex = defaultLexiconIndex()): LexiconScore {
  const text = normalise(process.env.X_NOPREP ? input : prepare(input));
  const raw: RawHit[] = [];
  const concessiveClauses = new Set<number>();
  const questionClauses = new Set<number>();
  let clauseOpener: string | undefined;
  let clause = 0;
  let segment = 0;
  let sentence = 0;
  let pending: PendingModifier | undefined;
  let words = 0;
  const n = text.length;
  let i = 0;
  const takeModifier = (at: number) => {
    const p = pending && pending.expires >= at ? pending : undefined;
    pending = undefined;
    return p;
  };
  const danglers: NegatorSpot[] = [];
  const addModifier = (modifier: Modifier, at: number, expires: number, spot?: NegatorSpot) => {
    if (modifier.kind === 'contrast') {
      segment++;
      pending = undefined;
      return;
    }
    if (modifier.kind === 'concessive') {
      concessiveClauses.add(clause);
      return;
    }
    // A chain (不太好, "not very good") carries on only while the earlier modifier is still in reach.
    const base = pending && (process.env.X_OLDEXP || pending.expires >= at) ? pending : { negated: false, factor: 1, expires };
    pending = {
      negated: modifier.kind === 'negator' ? !base.negated : base.negated,
      factor: modifier.kind === 'scale' ? base.factor * modifier.factor : base.factor,
      expires,
      spot: spot ?? base.spot,
    };
  };
  const addHit = (term: LexiconTerm, at: number) => {
    const mod = takeModifier(at);
    if (mod?.spot) mod.spot.consumed = true;
    raw.push({ term, negated: mod?.negated ?? false, factor: mod?.factor ?? 1, clause, segment, sentence });
  };
  while (i < n) {
    const ch = text[i]!;
    if (CLAUSE_END.has(ch)) {
      // An emoticon that starts with punctuation (:( :-) ;) :d) ends the clause as well.
      const symbol = process.env.X_NOEMO ? undefined : symbolAt(index, text, i);
      if (symbol) {
        addHit(symbol, i);
        i += symbol.term.length;
      } else {
        if ((ch === '?' || ch === '？') && clauseOpener !== undefined && INFO_QUESTION.has(clauseOpener)) questionClauses.add(clause);
        i++;
      }
      clause++;
      if (SENTENCE_END.has(ch)) sentence++;
      clauseOpener = undefined;
      pending = undefined;
      continue;
    }
    if (wordChar.test(ch)) {
      // @handles name someone; they say nothing about the sentiment.
      if (text[i - 1] === '@') {
        while (i < n && (wordChar.test(text[i]!) || text[i] === '_')) i++;
        continue;
      }
      // An English word: try the longest phrase of up to four words from here, then a modifier.
      clauseOpener ??= text.slice(i, text.slice(i).search(/[^a-z0-9']|$/) + i);
      const starts: number[] = [i];
      const ends: number[] = [];
      let j = i;
      for (let w = 0; w < MAX_PHRASE_WORDS; w++) {
        while (j < n && wordChar.test(text[j]!)) j++;
        ends.push(j);
        if (j >= n || text[j] !== ' ' || !wordChar.test(text[j + 1] ?? '')) break;
        j++;
        starts.push(j);
      }
      let matched = false;
      for (let w = ends.length; w >= 1; w--) {
        const phrase = text.slice(i, ends[w - 1]!);
        const term = lookupPhrase(index, phrase);
        if (term) {
          addHit(term, words);
          words += w;
          i = ends[w - 1]!;
          matched = true;
          break;
        }
        if (w <= 2) {
          const modifier = lookupModifier(index, phrase);
          if (modifier) {
            if (modifier.kind === 'negator') {
              const spot = { clause, segment, sentence, consumed: false };
              danglers.push(spot);
              addModifier(modifier, words, words + w + EN_WINDOW, spot);
            } else addModifier(modifier, words, words + w + EN_WINDOW);
            words += w;
            i = ends[w - 1]!;
            matched = true;
            break;
          }
        }
      }
      if (!matched) {
        // A mixed-script term (q弹) or a variant of a word (sooo, sucked).
        const mixed = index.byFirstChar.get(ch)?.find((t) => text.startsWith(t.term, i));
        if (mixed && !wordChar.test(text[i + mixed.term.length] ?? '')) {
          addHit(mixed, words);
          words++;
          i += mixed.term.length;
          continue;
        }
        const word = text.slice(i, ends[0]!);
        const variant = process.env.X_NOVAR ? undefined : variantOf(index, word);
        if (variant && 'term' in variant) addHit(variant, words);
        else if (variant) addModifier(variant, words, words + 1 + EN_WINDOW);
        words++;
        i = ends[0]!;
      }
      continue;
    }
    // Chinese, emoji and other symbols: the longest lexicon term here, unless a longer modifier starts here or a
    // modifier is followed by a term (好慢: 好 intensifies 慢; 很好 is a term of its own).
    const terms = index.byFirstChar.get(ch);
    let term: LexiconTerm | undefined;
    if (terms) for (const t of terms) if (text.startsWith(t.term, i) && (process.env.X_NOSYMEND || symbolEnds(text, i, t.term))) {
      term = t;
      break;
    }
    const modifiers = cjk.test(ch) ? index.zhModifiers.get(ch) : undefined;
    let modifier: readonly [string, Modifier] | undefined;
    if (modifiers) for (const m of modifiers) if (text.startsWith(m[0], i)) {
      modifier = m;
      break;
    }
    const modifierFirst =
      modifier && (!term || modifier[0].length > term.term.length || (modifier[0].length === term.term.length && startsTerm(index, text, i + modifier[0].length)));
    if (modifier && modifierFirst) {
      if (modifier[1].kind === 'negator' && ZH_DANG.has(modifier[0])) {
        const spot = { clause, segment, sentence, consumed: false, zh: true };
        danglers.push(spot);
        addModifier(modifier[1], i, i + modifier[0].length + ZH_WINDOW, spot);
      } else addModifier(modifier[1], i, i + modifier[0].length + ZH_WINDOW);
      i += modifier[0].length;
      continue;
    }
    if (term) {
      addHit(term, i);
      i += term.term.length;
      continue;
    }
    i += ch.length;
  }
  for (const spot of danglers) if (!spot.consumed) raw.push({ term: spot.zh ? ZH_DANGLING : DANGLING_NEGATION, negated: false, factor: 1, clause: spot.clause, segment: spot.segment, sentence: spot.sentence });
  let summaryAt = -1;
  if (process.env.X_SUMW) {
    for (const m of ['总之', '总的来说', '总体来说', '总体而言', '总而言之', '综上', '总体', '整体来说', '整体而言', '整体感觉', '总的说来', '总得来说', '总结', '总的感觉', '综合来看', '总评']) {
      const at = text.lastIndexOf(m);
      if (at >= 0) {
        let sent = 0;
        for (let k = 0; k < at; k++) if (SENTENCE_END.has(text[k]!)) sent++;
        summaryAt = Math.max(summaryAt, sent);
      }
    }
  }
  return summarise(input, raw, concessiveClauses, segment, questionClauses, summaryAt);
}

/** A symbol term made of letters or digits at its end (:d, :p, <3) must not run into a word (:do, <30). */
function symbolEnds(text: string, at: number, term: string): boolean {
  const last = term[term.length - 1]!;
  if (!/[a-z0-9/]/.test(last)) return true;
  const next = text[at + term.length] ?? '';
  return !wordChar.test(next) && next !== '/';
}

function symbolAt(index: LexiconIndex, text: string, at: number): LexiconTerm | undefined {
  const terms = index.byFirstChar.get(text[at]!);
  if (terms) for (const t of terms) if (t.term.length > 1 && text.startsWith(t.term, at) && symbolEnds(text, at, t.term)) return t;
  return undefined;
}

function startsTerm(index: LexiconIndex, text: string, at: number): boolean {
  const terms = index.byFirstChar.get(text[at] ?? '');
  if (terms) for (const t of terms) if ((process.env.X_OLDST || t.weight !== 0) && text.startsWith(t.term, at)) return true;
  // A modifier chain (不太好, 非常不满意) also counts.
  const modifiers = index.zhModifiers.get(text[at] ?? '');
  return modifiers?.some((m) => m[1].kind !== 'contrast' && m[1].kind !== 'concessive' && text.startsWith(m[0], at) && startsTerm(index, text, at + m[0].length)) ?? false;
}

function emphasisOf(input: string): number {
  const exclamations = Math.min((input.match(/[!！]/g) ?? []).length, 6);
  const questionRuns = (input.match(/[?？]{2,}/g) ?? []).length;
  // 太慢了了了, 啊啊啊, "sooooo"
  const repeats = (input.match(/(.)\1{2,}/gu) ?? []).filter((r) => !/^[\d\s.。…~～-]+$/u.test(r)).length;
  const shouting = (input.match(/\b[A-Z]{3,}\b/g) ?? []).filter((w) => !['USA', 'ASAP', 'FAQ', 'API', 'USD', 'CEO', 'TSA', 'FAA', 'DM'].includes(w)).length;
  return 1 + exclamations * 0.12 + questionRuns * 0.2 + Math.min(repeats, 2) * 0.15 + Math.min(shouting, 3) * 0.15;
}

function summarise(input: string, raw: readonly RawHit[], concessiveClauses: ReadonlySet<number>, textSegments = 0, questionClauses: ReadonlySet<number> = new Set(), summaryAt = -1): LexiconScore {
  const emphasis = emphasisOf(input);
  const cues = new Set<string>();
  // Blockers (weight 0) only took their characters and any modifier before them.
  const scored = process.env.X_KEEPZERO ? raw : raw.filter((h) => h.term.weight !== 0);
  let lastSegment = 0;
  let firstSegment = Infinity;
  for (const h of scored) {
    lastSegment = Math.max(lastSegment, h.segment);
    firstSegment = Math.min(firstSegment, h.segment);
  }
  // A contrast only re-weighs when something was said on both sides of it.
  if (process.env.X_CONTRAST === 'text') lastSegment = textSegments;
  const contrasted = process.env.X_CONTRAST === 'old' || process.env.X_CONTRAST === 'text' ? lastSegment > 0 : lastSegment > firstSegment;
  let lastSentence = -1;
  let firstSentence = Infinity;
  for (const h of scored) {
    lastSentence = Math.max(lastSentence, h.sentence);
    firstSentence = Math.min(firstSentence, h.sentence);
  }
  const summaryFrom = summaryAt;
  const sentenceSpan = new Map<number, [number, number]>();
  for (const h of scored) {
    const span = sentenceSpan.get(h.sentence);
    if (!span) sentenceSpan.set(h.sentence, [h.segment, h.segment]);
    else span[1] = Math.max(span[1], h.segment);
  }
  const weighed: Array<{ h: RawHit; weight: number; emotion: Emotion | undefined }> = [];
  let positive = 0;
  let negative = 0;
  for (const h of scored) {
    let weight = h.term.weight * h.factor;
    let emotion = h.term.emotion;
    if (h.negated) {
      if (weight > 0) {
        // 不满意-style phrases are their own entries; "不好", "not happy", "没意思" read as mild disappointment.
        weight = -weight * Number(process.env.X_NPOS ?? 0.9);
        emotion = 'disappointed';
      } else {
        // "不着急", "not bad": calm, slightly positive.
        weight = -weight * Number(process.env.X_NNEG ?? 0.35);
        emotion = undefined;
      }
      cues.add('negation');
    }
    // What follows a contrast counts more than what came before it; a concessive clause counts less.
    if (process.env.X_SENT) {
      const span = sentenceSpan.get(h.sentence)!;
      if (span[1] > span[0]) weight *= h.segment === span[1] ? Number(process.env.X_CAFTER ?? 1.3) : Number(process.env.X_CBEFORE ?? 0.5);
    } else if (contrasted) weight *= h.segment === lastSegment ? Number(process.env.X_CAFTER ?? 1.3) : Number(process.env.X_CBEFORE ?? 0.5);
    if (process.env.X_LASTW && h.sentence === lastSentence && firstSentence !== lastSentence) weight *= Number(process.env.X_LASTW);
    if (process.env.X_FIRSTW && h.sentence === firstSentence && firstSentence !== lastSentence) weight *= Number(process.env.X_FIRSTW);
    if (process.env.X_SUMW && h.segment >= 0 && summaryFrom >= 0 && h.sentence >= summaryFrom) weight *= Number(process.env.X_SUMW);
    if (weight < 0 && questionClauses.has(h.clause)) weight *= Number(process.env.X_Q ?? 1);
    if (concessiveClauses.has(h.clause)) weight *= Number(process.env.X_CONC ?? 0.5);
    if (weight < 0) weight *= emphasis * Number(process.env.X_NEGK ?? 1);
    else if (process.env.X_EMPOS) weight *= emphasis;
    if (weight > 0) positive += weight;
    else negative -= weight;
    if (h.term.cue && !h.negated) cues.add(h.term.cue);
    weighed.push({ h, weight, emotion });
  }
  const scale = (process.env.X_NOCAP ? 1 : Math.max(positive, negative) > MASS_CAP ? MASS_CAP / Math.max(positive, negative) : 1) * Number(process.env.X_SCALE ?? 1);
  const hits: Hit[] = [];
  const emotions = new Map<Emotion, number>();
  for (const { h, weight, emotion } of weighed) {
    const w = weight * scale;
    if (emotion && emotion !== 'neutral') emotions.set(emotion, (emotions.get(emotion) ?? 0) + Math.abs(w));
    hits.push({ term: h.term.term, weight: w, ...(emotion ? { emotion } : {}), ...(h.term.cue ? { cue: h.term.cue } : {}), negated: h.negated });
  }
  if (contrasted) cues.add('contrast');
  if (emphasis > 1.2) cues.add('emphasis');
  return { positive: positive * scale, negative: negative * scale, emotions, emphasis, hits, cues: [...cues] };
}
