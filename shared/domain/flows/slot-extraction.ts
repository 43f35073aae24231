/**
 * Reading a slot's value out of free text: "我的订单号是 KF20240012" → KF20240012, "第二个" → the second choice,
 * "size doesn't fit" → the choice whose synonym it is. Returns undefined when the text holds no valid value.
 */
import { normalise } from '../knowledge/text-features.ts';
import type { FlowText, SlotDefinition } from './flow-definition.ts';

export type SlotValue = string | number;

/** A choice with its labels, from the definition or read from a variable at run time. */
export interface ResolvedChoice {
  readonly value: string;
  readonly labels: FlowText;
  readonly synonyms: readonly string[];
}

/** The demo shop's order numbers: KF followed by 8 digits. A slot's `validation.regex` replaces it. */
export const DEFAULT_ORDER_NUMBER_PATTERN = 'KF\\d{8}';
const PHONE_PATTERN = '(?:\\+?86[\\s-]?)?1[3-9]\\d(?:[\\s-]?\\d{4}){2}|\\+\\d{1,3}[\\s-]?\\d(?:[\\s-]?\\d){6,13}';
const EMAIL_PATTERN = '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}';

const CHINESE_DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const ENGLISH_ORDINALS: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10, one: 1, two: 2, three: 3, four: 4, five: 5 };

function search(pattern: string, text: string): string | undefined {
  return new RegExp(pattern, 'iu').exec(text.normalize('NFKC'))?.[0];
}

function strip(text: string): string {
  return normalise(text).replace(/[\s!！?？。.,，、~～…'"“”‘’:：;；()（）#＃-]+/gu, '');
}

/** "2", "#2", "第二个", "the second one", "option 2" → 2. */
function ordinal(text: string): number | undefined {
  const t = strip(text);
  const digits = /^(?:第|no|number|option|选项|选)?(\d{1,2})(?:个|件|项|号|条|种|one)?$/u.exec(t);
  if (digits) return Number(digits[1]);
  const zh = /^(?:第|选)?([一二两三四五六七八九十])(?:个|件|项|号|条|种)$|^第([一二两三四五六七八九十])(?:个|件|项|号|条|种)?$/u.exec(t);
  if (zh) return CHINESE_DIGITS[(zh[1] ?? zh[2])!];
  const en = /^(?:the)?(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|one|two|three|four|five)(?:one|item|option)?$/u.exec(t);
  if (en) return ENGLISH_ORDINALS[en[1]!];
  return undefined;
}

const FILLER_WORDS = new Set(['the', 'a', 'an', 'one', 'it', 'is', 'its', 'i', 'want', 'to', 'return', 'please', 'my', 'this', 'that', 'them', 'they', 'are', 'those', 'these']);

function words(text: string): string[] {
  return (normalise(text).match(/[a-z0-9]+/g) ?? []).map((w) => (w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w)).filter((w) => !FILLER_WORDS.has(w));
}

function matchChoice(text: string, choices: readonly ResolvedChoice[]): string | undefined {
  const n = ordinal(text);
  if (n !== undefined) return choices[n - 1]?.value;
  const t = strip(text);
  if (!t) return undefined;
  const names = (c: ResolvedChoice) => [c.value, c.labels.zh, c.labels.en, ...(c.labels['zh-Hant'] ? [c.labels['zh-Hant']] : []), ...c.synonyms].map(strip).filter(Boolean);
  const exact = choices.filter((c) => names(c).includes(t));
  if (exact.length === 1) return exact[0]!.value;
  // The text mentions a name ("尺码不合适，太小了"): the longest mention wins; a tie between choices is no answer.
  let best: { value: string; length: number; tie: boolean } | undefined;
  for (const c of choices) {
    for (const name of names(c)) {
      if (name.length < 2 || !t.includes(name)) continue;
      if (!best || name.length > best.length) best = { value: c.value, length: name.length, tie: false };
      else if (name.length === best.length && best.value !== c.value) best.tie = true;
    }
  }
  if (best && !best.tie) return best.value;
  // The text is part of exactly one name ("耳机" for "无线蓝牙耳机 Pro").
  if (t.length >= 2) {
    const partial = choices.filter((c) => names(c).some((name) => name.includes(t)));
    if (partial.length === 1) return partial[0]!.value;
  }
  // Its words are all words of exactly one name ("the earbuds" for "Wireless Earbuds Pro").
  const asked = words(text);
  if (asked.length > 0) {
    const byWords = choices.filter((c) => {
      const known = new Set([c.value, c.labels.zh, c.labels.en, ...c.synonyms].flatMap(words));
      return asked.every((w) => known.has(w));
    });
    if (byWords.length === 1) return byWords[0]!.value;
  }
  return undefined;
}

/** The slot's value in `text`, or undefined when there is none that validates. */
export function extractSlot(slot: SlotDefinition, text: string, choices: readonly ResolvedChoice[] = []): SlotValue | undefined {
  const v = slot.validation ?? {};
  switch (slot.type) {
    case 'order_number': {
      const found = search(v.regex ?? DEFAULT_ORDER_NUMBER_PATTERN, text);
      return found?.toUpperCase();
    }
    case 'phone': {
      const found = search(v.regex ?? PHONE_PATTERN, text);
      return found?.replace(/[\s-]/g, '');
    }
    case 'email':
      return search(v.regex ?? EMAIL_PATTERN, text)?.toLowerCase();
    case 'number': {
      const found = /-?\d+(?:\.\d+)?/.exec(text.normalize('NFKC').replace(/(?<=\d),(?=\d{3})/g, ''))?.[0];
      if (found === undefined) return undefined;
      const n = Number(found);
      if ((v.min !== undefined && n < v.min) || (v.max !== undefined && n > v.max)) return undefined;
      return n;
    }
    case 'text': {
      const t = text.trim();
      const length = [...t].length;
      if (length < (v.min ?? 1) || length > (v.max ?? 500)) return undefined;
      if (v.regex !== undefined && !new RegExp(v.regex, 'iu').test(t)) return undefined;
      return t;
    }
    case 'choice':
      return matchChoice(text, choices);
  }
}
