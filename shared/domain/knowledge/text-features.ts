/**
 * Text normalisation and features shared by the local engines: Traditional → Simplified folding (OpenCC's character
 * table plus a few customer-service phrases, see traditional-simplified.ts), lower-casing, CJK character unigrams and
 * bigrams, and Latin word tokens.
 */
import { AMBIGUOUS_TRADITIONAL, OPENCC_TS_CHARACTER_PAIRS, PHRASE_FOLDS, SUPPLEMENT_PAIRS } from './traditional-simplified.ts';

const traditionalToSimplified = new Map<string, string>();
for (const pairs of [OPENCC_TS_CHARACTER_PAIRS, SUPPLEMENT_PAIRS]) {
  const chars = [...pairs];
  for (let i = 0; i + 1 < chars.length; i += 2) traditionalToSimplified.set(chars[i]!, chars[i + 1]!);
}
const ambiguous = new Set([...AMBIGUOUS_TRADITIONAL]);

const cjk = /[\u3400-\u9fff\uf900-\ufaff]/u;

export function foldTraditional(text: string): string {
  let out = '';
  for (const ch of text) out += traditionalToSimplified.get(ch) ?? ch;
  for (const [from, to] of PHRASE_FOLDS) if (out.includes(from)) out = out.split(from).join(to);
  return out;
}

/** True when the text has a character that only Traditional script uses (退貨, not 退货). */
export function hasTraditional(text: string): boolean {
  for (const ch of text) if (traditionalToSimplified.has(ch) && !ambiguous.has(ch)) return true;
  return false;
}

export function normalise(text: string): string {
  return foldTraditional(text.normalize('NFKC').toLowerCase());
}

const englishStopwords = new Set(
  'a an the is are was were be been am i you he she it we they me my your our their its to of in on at for from by with and or but not do does did can could would should will shall have has had this that these those there here what which who whom how why when where please hi hello thanks thank'.split(' '),
);

/** Function characters: they carry no topic, so unigrams of them and bigrams made only of them are dropped. */
const chineseFunctionChars = new Set([...'的了吗呢啊吧么我你您他她它是在有能怎可以要想请一下这那个什和就都也还很到吧呀哦嗯么为啥谁几多少会让给对把被从去来说问']);

function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 3 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('es') && /(ch|sh|x|ss)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  return word;
}

/** Bag of features: CJK unigrams and bigrams (within runs of CJK), stemmed Latin words without stopwords. */
export function features(text: string): string[] {
  const normalised = normalise(text);
  const out: string[] = [];
  let run = '';
  const flushRun = () => {
    const chars = [...run];
    for (let i = 0; i < chars.length; i++) {
      const a = chars[i]!;
      if (!chineseFunctionChars.has(a)) out.push(a);
      const b = chars[i + 1];
      if (b !== undefined && !(chineseFunctionChars.has(a) && chineseFunctionChars.has(b))) out.push(a + b);
    }
    run = '';
  };
  let word = '';
  const flushWord = () => {
    if (word && !englishStopwords.has(word)) out.push(`w:${stem(word)}`);
    word = '';
  };
  for (const ch of normalised) {
    if (cjk.test(ch)) {
      flushWord();
      run += ch;
    } else if (/[a-z0-9]/.test(ch)) {
      flushRun();
      word += ch;
    } else {
      flushRun();
      flushWord();
    }
  }
  flushRun();
  flushWord();
  return out;
}

export type Language = 'zh-Hans' | 'zh-Hant' | 'en' | 'unknown';

export function detectLanguage(text: string): Language {
  let cjkCount = 0;
  let latin = 0;
  for (const ch of text) {
    if (cjk.test(ch)) cjkCount++;
    else if (/[a-zA-Z]/.test(ch)) latin++;
  }
  if (cjkCount === 0 && latin === 0) return 'unknown';
  if (cjkCount >= latin / 4) return hasTraditional(text) ? 'zh-Hant' : 'zh-Hans';
  return 'en';
}
