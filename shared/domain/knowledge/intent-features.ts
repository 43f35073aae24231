/**
 * Features for the intent classifier of the local answer engine, in two groups that are weighted separately:
 *  - words: English words and word bigrams (apostrophes dropped, no stemming or stopword removal: the classifier
 *    learns which words matter) and jieba words of two or more characters for Chinese;
 *  - characters: English character n-grams of length 2–5 inside word boundaries (" card " → " c", "ca", … "ard "),
 *    which absorb inflection and typos, and Chinese character 1–3-grams inside runs of Chinese text.
 * Text is normalised first (NFKC, lower case, Traditional folded to Simplified), so 退貨 and 退货 share features.
 */
import { normalise } from './text-features.ts';
import type { Segmenter } from './segmenter.ts';

export interface FeatureBag {
  readonly words: string[];
  readonly chars: string[];
}

const cjk = /[\u3400-\u9fff\uf900-\ufaff]/u;
const latin = /[a-z0-9]/;

export function intentFeatures(text: string, segmenter: Segmenter): FeatureBag {
  const normalised = normalise(text);
  const words: string[] = [];
  const chars: string[] = [];
  const latinWords: string[] = [];
  let run = '';
  let word = '';
  const flushWord = () => {
    if (!word) return;
    latinWords.push(word);
    const padded = ` ${word} `;
    for (let n = 2; n <= 5; n++) for (let i = 0; i + n <= padded.length; i++) chars.push(padded.slice(i, i + n));
    word = '';
  };
  const flushLatinPhrase = () => {
    flushWord();
    for (let i = 0; i < latinWords.length; i++) {
      words.push(latinWords[i]!);
      if (i + 1 < latinWords.length) words.push(`${latinWords[i]} ${latinWords[i + 1]}`);
    }
    latinWords.length = 0;
  };
  const flushRun = () => {
    if (!run) return;
    const cs = [...run];
    for (let i = 0; i < cs.length; i++) {
      chars.push(cs[i]!);
      if (i + 1 < cs.length) chars.push(cs[i]! + cs[i + 1]!);
      if (i + 2 < cs.length) chars.push(cs[i]! + cs[i + 1]! + cs[i + 2]!);
    }
    for (const w of segmenter(run)) if (w.length > 1) words.push(`_${w}`);
    run = '';
  };
  for (const ch of normalised) {
    if (cjk.test(ch)) {
      flushLatinPhrase();
      run += ch;
    } else if (latin.test(ch)) {
      flushRun();
      word += ch;
    } else if (ch === "'" || ch === '’') {
      // "hasn't" → "hasnt"
    } else {
      flushRun();
      flushWord();
      // Sentence punctuation ends a phrase; spaces do not.
      if (ch !== ' ') flushLatinPhrase();
    }
  }
  flushRun();
  flushLatinPhrase();
  return { words, chars };
}

/**
 * Function characters and words: a feature made only of them (请问, 请, 吗, "please", "can you") says nothing about
 * the topic. The engine does not let such a feature count against a question when no entry knows it, so that
 * "请问怎么开发票" is as close to "怎么开发票" as it should be.
 */
const functionChars = new Set([...'的了吗呢啊吧么我你您他她它是在有能怎可以要想请一下这那个什和就都也还很到呀哦嗯为啥谁几多少会让给对把被从去来说问']);
const functionWords = new Set(
  'a an the is are was were be been am i you he she it we they me my your our their its to of in on at for from by with and or but not do does did can could would should will shall have has had this that these those there here what which who whom how why when where please hi hello thanks thank'.split(' '),
);

export function isFunctionFeature(feature: string, group: 'words' | 'chars'): boolean {
  const t = feature.startsWith('_') ? feature.slice(1) : feature;
  if (!t) return false;
  if (cjk.test(t)) {
    for (const ch of t) if (!functionChars.has(ch)) return false;
    return true;
  }
  // English words and word bigrams; English character n-grams ("to" inside "total") are never function features.
  if (group === 'chars' || !/^[a-z0-9]+( [a-z0-9]+)?$/.test(t)) return false;
  return t.split(' ').every((w) => functionWords.has(w));
}

/** Whether the text has any Chinese character (jieba is only ever needed then). */
export function hasChinese(text: string): boolean {
  return cjk.test(text);
}
