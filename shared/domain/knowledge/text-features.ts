/**
 * Text normalisation and features shared by the local engines: Traditional → Simplified folding for the characters
 * customer service meets most, lower-casing, CJK character unigrams and bigrams, and Latin word tokens.
 */
const traditionalPairs =
  '貨货運运單单號号發发帳账務务購购買买賣卖錢钱麼么這这裡里裏里郵邮遞递們们為为時时間间會会還还換换價价顧顾訂订態态讓让說说請请問问題题個个給给碼码戶户開开關关專专業业' +
  '東东書书車车門门電电話话網网頁页圖图線线費费銷销盤盘條条號号類类擇择選选處处辦办證证驗验註注冊册碼码機机撥拨實实際际絡络點点擊击應应該该負负責责' +
  '隨随與与從从並并將将來来對对於于無无誤误錯错補补償偿賠赔換换貨货過过進进達达邊边壞坏損损傷伤醫医療疗險险額额稅税務务導导師师級级寶宝優优惠惠勢势狀状況况' +
  '憤愤滿满意意極极糟糟氣气垃垃圾圾騙骗麼么謝谢幫帮歡欢喜喜樂乐難难過过擔担憂忧慮虑緊紧張张焦焦確确認认裝装嗎吗訴诉惱恼氣气慢慢聯联繫系您您';
const traditionalToSimplified = new Map<string, string>();
for (let i = 0; i + 1 < traditionalPairs.length; i += 2) {
  traditionalToSimplified.set(traditionalPairs[i]!, traditionalPairs[i + 1]!);
}

const cjk = /[\u3400-\u9fff\uf900-\ufaff]/u;

export function foldTraditional(text: string): string {
  let out = '';
  for (const ch of text) out += traditionalToSimplified.get(ch) ?? ch;
  return out;
}

export function hasTraditional(text: string): boolean {
  for (const ch of text) if (traditionalToSimplified.has(ch) && traditionalToSimplified.get(ch) !== ch) return true;
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
