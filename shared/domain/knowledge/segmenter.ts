/**
 * Chinese word segmentation for the local answer engine. jieba (the `jieba-wasm` package, jieba-rs compiled to
 * WebAssembly with its dictionary, ~4 MB) is loaded lazily, the first time Chinese text has to be segmented, never at
 * module import: a function that only meets English pays nothing, and one that meets Chinese pays the load once
 * (measured ~350–450 ms, see docs/EVALUATION.md). When jieba cannot be loaded the engine falls back to character
 * n-grams alone, which is what it always computes as well.
 *
 * The segmenter is injectable (`LocalAnswerEngine` option `segmenter`), so the domain stays testable and pure.
 */
import { createRequire } from 'node:module';

/** Splits a run of Chinese text (already folded to Simplified) into words. */
export type Segmenter = (text: string) => readonly string[];

/** No word segmentation: the engine then uses character n-grams only. */
export const noSegmenter: Segmenter = () => [];

interface JiebaModule {
  cut(text: string, hmm?: boolean | null): string[];
}

let jieba: JiebaModule | null | undefined;
let loadMs: number | undefined;

function loadJieba(): JiebaModule | null {
  if (jieba !== undefined) return jieba;
  const started = performance.now();
  try {
    const required = createRequire(import.meta.url)('jieba-wasm') as JiebaModule;
    required.cut('预热', true); // the WebAssembly instance and dictionary are built on the first call
    jieba = required;
  } catch {
    jieba = null;
  }
  loadMs = performance.now() - started;
  return jieba;
}

/** jieba, loaded on first use; falls back to no segmentation if the package cannot be loaded. */
export const jiebaSegmenter: Segmenter = (text) => {
  const module = loadJieba();
  return module ? module.cut(text, true) : [];
};

/** Whether jieba has been loaded (for tests and the evaluation report), and how long loading took. */
export function jiebaStatus(): { readonly loaded: boolean; readonly available: boolean | undefined; readonly loadMs: number | undefined } {
  return { loaded: jieba !== undefined && jieba !== null, available: jieba === undefined ? undefined : jieba !== null, loadMs };
}
