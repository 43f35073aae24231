/**
 * The rule part of the local sentiment engine: one left-to-right pass over the normalised text (NFKC, lower case,
 * Traditional folded to Simplified) that matches lexicon terms longest-first (Chinese by characters, English on word
 * boundaries, emoji and emoticons anywhere) and applies these rules:
 *  - a negator / intensifier / diminisher applies to a term that follows within a short window (不满意, "not happy",
 *    很慢, "very slow", 有点贵, "a bit slow"); a negated positive reads as mild disappointment, a negated negative as
 *    calm (不着急, "not bad");
 *  - a prohibition (别, 不要) negates a positive term but leaves a complaint negative, a little weaker (别浪费钱,
 *    不要一拖再拖); the 不 / 没 of an A-not-A question (是不是, 能不能, 有没有, 好不好吃) negates nothing;
 *  - an aspect term split by a degree adverb reads as the term, scaled (量挺大 → 量大, 态度特别差 → 态度差), and an
 *    adjective of degree with 了点 / 了一些 (硬了点, 厚了一些) as a mild complaint;
 *  - an English negator that no term takes ("no food, no water", "still haven't heard back") and a Chinese 没 / 没有
 *    / 未 that no term takes (没有热水) count as a mild complaint of their own;
 *  - within a sentence, what follows a contrast (但是, "but") counts a little more than what came before it, and a
 *    concessive clause (虽然, "although") counts less;
 *  - what follows a verdict marker (总的来说, 总体, "overall") to the end of its sentence counts double, and negative
 *    terms after a minor-flaw marker (美中不足的是, 唯一的缺点) count half;
 *  - in an English clause that asks for information ("is my flight cancelled?") negative terms count less, and in a
 *    Chinese question (这也叫五星级？) positive ones do;
 *  - negative terms are scaled by emphasis (!!!, ???, 了了了, SHOUTING); English negative terms a little more
 *    (EN_NEGATIVE_BALANCE: short English messages to a company state their complaint in fewer words);
 *  - a long text whose mass passes MASS_CAP is scaled down as a whole, keeping the balance of the two sides.
 * English words are also read through their everyday variants: curly apostrophes (don’t), dropped apostrophes (dont),
 * elongation (sooo, baaad), hashtags (#CustomerServiceFail, #neveragain), digits glued to a unit (3hrs), and a
 * regular inflection of a lexicon word (sucked → suck) when the form itself is not an entry. @handles and URLs are
 * skipped. No allocation per character beyond the hits; a few microseconds per message.
 */
import { normalise } from '../knowledge/text-features.ts';
import type { Emotion } from './sentiment.ts';
import {
  EN_CONCESSIVE,
  EN_CONCLUSION,
  EN_CONTRAST,
  EN_DIMINISHERS,
  EN_INTENSIFIERS,
  EN_LEXICON,
  EN_NEGATORS,
  SYMBOL_LEXICON,
  ZH_CONCESSIVE,
  ZH_CONCLUSION,
  ZH_CONTRAST,
  ZH_MINOR_FLAW,
  ZH_DANGLING_NEGATORS,
  ZH_DIMINISHERS,
  ZH_EXCESS_ADJECTIVES,
  ZH_INTENSIFIERS,
  ZH_LEXICON,
  ZH_NEGATORS,
  ZH_PROHIBITIVE,
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

type Modifier =
  | { readonly kind: 'negator' }
  | { readonly kind: 'prohibit' }
  | { readonly kind: 'scale'; readonly factor: number }
  | { readonly kind: 'contrast' }
  | { readonly kind: 'concessive' }
  | { readonly kind: 'conclusion' }
  | { readonly kind: 'minor' };

const CLAUSE_END = new Set([...',.!?;:，。！？；：…~～\n\r\t()（）【】[]"“”']);
const SENTENCE_END = new Set([...'.!?;。！？；…\n']);
const MAX_PHRASE_WORDS = 4;
/** Chinese: a modifier applies to a term that starts at most this many characters after it ends. */
const ZH_WINDOW = 3;
/** English: … at most this many words after it. */
const EN_WINDOW = 2;
/** A chain of intensifiers (太太太, "really very") scales a term at most this much. */
const MAX_FACTOR = 2.5;
/** A negated positive term keeps this share of its weight, turned negative (不满意-like: 不好, "not happy"). */
const NEGATED_POSITIVE = 0.9;
/** A negated negative term keeps this share of its weight, turned positive (不贵, "not bad"): calm, not praise. */
const NEGATED_NEGATIVE = 0.35;
/** A complaint after a prohibition (别再拖了, 不要一拖再拖) keeps this share of its weight, and its sign. */
const PROHIBITED_NEGATIVE = 0.6;
/** Within a sentence, terms before a contrast (环境不错，但是太吵) and after it. */
const BEFORE_CONTRAST = 0.85;
const AFTER_CONTRAST = 1.15;
/** A concessive clause (虽然贵了点, "although it was late"). */
const CONCESSIVE = 0.5;
/** What follows a verdict marker (总的来说, 总体, "overall") up to the end of its sentence: the writer's summary. */
const CONCLUSION = 2;
/** Negative terms after a "minor flaw" marker (美中不足, 唯一的缺点) in the same sentence. */
const MINOR_FLAW = 0.5;
/** Negative terms in an English information question (is my flight cancelled?). */
const INFO_QUESTION_NEGATIVE = 0.6;
/** Positive terms in a Chinese question (这也叫好吃？). */
const ZH_QUESTION_POSITIVE = 0.3;
/** English negative terms against positive ones (complaints to a company are terse: "flight delayed again"). */
const EN_NEGATIVE_BALANCE = 1.3;
/**
 * An English negator that no term takes ("no food, no water", "still haven't heard back", "can't get through"): in
 * customer-service English a bare no / never / didn't mostly reports something that went wrong.
 */
const DANGLING_NEGATION: LexiconTerm = { term: 'no', weight: -1 };
/** "Really?" / "seriously!" closing a clause. */
const EXASPERATION: LexiconTerm = { term: 'really?', weight: -1.5, emotion: 'angry' };
/** Characters that negate what follows them, when a lexicon term ends with one (还是不, 一直没). */
const ZH_TRAILING_NEGATORS = new Set(['不', '没', '别', '未', '无']);
/** An adjective of degree with 了点 / 了一点 / 了些 (硬了点, 贵了一些): "a little too …", a mild complaint. */
const ZH_EXCESS: LexiconTerm = { term: '了点', weight: -0.8, emotion: 'disappointed' };
const ZH_EXCESS_SUFFIXES = ['了一点', '了一些', '了点', '了些'];
/** Verbs that make the adjective a change rather than a degree (提高了一点, 加大了些, 降低了点). */
const ZH_CHANGE_VERBS = new Set([...'提降加增减放缩拉调延变']);
/** A Chinese 没 / 没有 / 未 that no term takes (没有热水, 没送到): something missing. */
const ZH_DANGLING_NEGATION: LexiconTerm = { term: '没', weight: -0.8 };
/**
 * The engine caps each side's mass at 8; a long review can pass that on both sides and then reads as a tie. Above this
 * mass all figures are scaled down together, which keeps the balance between the two sides (and the emotions).
 */
const MASS_CAP = 7.5;
/** A clause that opens with one of these and ends with "?" asks for information ("is my flight cancelled?"). */
const INFO_QUESTION = new Set(['is', 'are', 'am', 'was', 'were', 'can', 'could', 'do', 'does', 'did', 'will', 'would', 'should', 'when', 'what', 'where', 'which', 'who', 'how', 'any', 'has', 'have']);

export interface LexiconIndex {
  /** Chinese (and other non-word) terms by their first character, longest first. */
  readonly byFirstChar: ReadonlyMap<string, readonly LexiconTerm[]>;
  /** English words and phrases (single spaces). */
  readonly phrases: ReadonlyMap<string, LexiconTerm>;
  /** The same terms by their text, and the longest term length per first character. */
  readonly symbols: ReadonlyMap<string, LexiconTerm>;
  readonly longestByFirstChar: ReadonlyMap<string, number>;
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
  const symbols = new Map<string, LexiconTerm>();
  const longestByFirstChar = new Map<string, number>();
  for (const [first, list] of byFirstChar) {
    for (const t of list) symbols.set(t.term, t);
    longestByFirstChar.set(first, list[0]!.term.length);
  }
  const zhModifiers = new Map<string, Array<readonly [string, Modifier]>>();
  const addZh = (term: string, modifier: Modifier) => {
    const list = zhModifiers.get(term[0]!) ?? [];
    list.push([term, modifier]);
    zhModifiers.set(term[0]!, list);
  };
  for (const n of ZH_NEGATORS) addZh(n, { kind: 'negator' });
  for (const n of ZH_PROHIBITIVE) addZh(n, { kind: 'prohibit' });
  for (const [t, factor] of [...ZH_INTENSIFIERS, ...ZH_DIMINISHERS]) addZh(t, { kind: 'scale', factor });
  for (const c of ZH_CONTRAST) addZh(c, { kind: 'contrast' });
  for (const c of ZH_CONCESSIVE) addZh(c, { kind: 'concessive' });
  for (const c of ZH_CONCLUSION) addZh(c, { kind: 'conclusion' });
  for (const c of ZH_MINOR_FLAW) addZh(c, { kind: 'minor' });
  for (const list of zhModifiers.values()) list.sort((a, b) => b[0].length - a[0].length);
  const enModifiers = new Map<string, Modifier>();
  for (const n of EN_NEGATORS) enModifiers.set(n, { kind: 'negator' });
  for (const [t, factor] of [...EN_INTENSIFIERS, ...EN_DIMINISHERS]) enModifiers.set(t, { kind: 'scale', factor });
  for (const c of EN_CONTRAST) enModifiers.set(c, { kind: EN_CONCESSIVE.includes(c) ? 'concessive' : 'contrast' });
  for (const c of EN_CONCLUSION) enModifiers.set(c, { kind: 'conclusion' });
  return { byFirstChar, phrases, symbols, longestByFirstChar, zhModifiers, enModifiers };
}

export const DEFAULT_LEXICON: readonly LexiconTerm[] = [...parseLexicon(ZH_LEXICON), ...parseLexicon(EN_LEXICON), ...parseLexicon(SYMBOL_LEXICON)];
let defaultIndex: LexiconIndex | undefined;
export function defaultLexiconIndex(): LexiconIndex {
  defaultIndex ??= buildLexiconIndex(DEFAULT_LEXICON);
  return defaultIndex;
}

/** Where a negator stood, and whether a term took it. */
interface NegatorSpot {
  readonly clause: number;
  readonly segment: number;
  readonly sentence: number;
  readonly term: LexiconTerm;
  consumed: boolean;
}

interface PendingModifier {
  negated: boolean;
  factor: number;
  /** The negation is a prohibition (别, 不要): it does not turn a complaint into praise (不要一拖再拖). */
  prohibit?: boolean;
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
  english: boolean;
  /** After a verdict marker (CONCLUSION) or a minor-flaw marker (MINOR_FLAW) in the same sentence. */
  conclusion?: boolean;
  minor?: boolean;
}

/** Everyday words that hashtags are made of, besides the lexicon's own words. */
const TAG_WORDS = new Set(
  (
    'i me my you your we us our they he she it its the a an to of in on at for with and or is are was be been am this that so just ever again all ' +
    'day days night time today flight flights fly flying flew air airline airlines airport plane travel trip service customer customers bag bags ' +
    'luggage seat seats crew staff pilot pilots gate home help team job people guys first class food wifi phone call line hold hour hours ' +
    'check in out up down off over back can get got go going make made do did one two more less'
  ).split(' '),
);

/**
 * A lower-case hashtag as words (#worstairlineever → worst airline ever), when it splits into two to four known words
 * (lexicon words, modifiers, TAG_WORDS) with the fewest pieces; otherwise as it is.
 */
function segmentTag(index: LexiconIndex, tag: string): string {
  if (tag.length < 6 || tag.length > 30 || index.phrases.has(tag)) return tag;
  const known = (w: string) => TAG_WORDS.has(w) || (w.length > 1 && (index.phrases.has(w) || index.enModifiers.has(w)));
  // best[k]: the fewest words that spell tag[0..k).
  const best: Array<string[] | undefined> = [[]];
  for (let end = 1; end <= tag.length; end++) {
    for (let start = Math.max(0, end - 15); start < end; start++) {
      const before = best[start];
      if (!before || !known(tag.slice(start, end))) continue;
      if (!best[end] || before.length + 1 < best[end]!.length) best[end] = [...before, tag.slice(start, end)];
    }
  }
  const words = best[tag.length];
  return words && words.length >= 2 && words.length <= 4 ? words.join(' ') : tag;
}

/**
 * Before normalising: URLs go, curly apostrophes become straight ones, hashtags are split into words (camel case:
 * #CustomerServiceFail → # Customer Service Fail; lower case: by known words) and a Latin letter repeated three times
 * or more is kept twice (sooooo → soo, goooood → good; the word lookup then tries the single letter).
 */
function prepare(input: string, index: LexiconIndex): string {
  let text = input;
  if (text.includes('://') || text.includes('www.')) text = text.replace(/(?:https?:\/\/|www\.)\S+/gi, ' ');
  if (/[\u2018\u2019\u02bc`´]/.test(text)) text = text.replace(/[\u2018\u2019\u02bc`´]/g, "'");
  if (text.includes('#')) {
    text = text.replace(/#([A-Za-z][A-Za-z0-9]*)/g, (_m, tag: string) =>
      /[A-Z]/.test(tag.slice(1)) ? `# ${tag.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')}` : `# ${segmentTag(index, tag.toLowerCase())}`,
    );
  }
  if (/[\u3400-\u9fff]\s+[\u3400-\u9fff]/.test(text)) text = text.replace(/([\u3400-\u9fff])\s+(?=[\u3400-\u9fff])/g, '$1，');
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
 * A single word that is neither an entry nor a modifier: a unit after digits (3hrs → hrs), its de-elongated form
 * (soo → so, baad → bad) or its stem by a regular English inflection (sucked → suck, hated → hate, stopped → stop,
 * delaying → delay, apologizes → apologize, worries → worry). Only stems of three letters or more, so that short
 * words do not turn into slang entries.
 */
function variantOf(index: LexiconIndex, word: string): LexiconTerm | Modifier | undefined {
  const bare = word.replace(/'/g, '');
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
  const scan = new Scan(index, normalise(prepare(input, index)));
  scan.run();
  return summarise(input, scan.hits(), scan);
}

/** a-z, 0-9 and the apostrophe: the characters of an English word after normalising. */
function isWordChar(c: string | undefined): boolean {
  if (c === undefined) return false;
  const x = c.charCodeAt(0);
  return (x >= 97 && x <= 122) || (x >= 48 && x <= 57) || x === 39;
}

function isCjk(c: string | undefined): boolean {
  if (c === undefined) return false;
  const x = c.charCodeAt(0);
  return (x >= 0x3400 && x <= 0x9fff) || (x >= 0xf900 && x <= 0xfaff);
}

/** The left-to-right pass: hits with their modifiers, and what the clauses and sentences around them are. */
class Scan {
  readonly raw: RawHit[] = [];
  readonly concessiveClauses = new Set<number>();
  readonly infoQuestions = new Set<number>();
  readonly zhQuestions = new Set<number>();
  private readonly negators: NegatorSpot[] = [];
  private clauseOpener: string | undefined;
  private clause = 0;
  private segment = 0;
  private sentence = 0;
  private pending: PendingModifier | undefined;
  private words = 0;
  private conclusionSentence = -1;
  private minorSentence = -1;

  constructor(
    private readonly index: LexiconIndex,
    private readonly text: string,
  ) {}

  /** The hits, with each negator that no term took as a hit of its own. */
  hits(): RawHit[] {
    for (const spot of this.negators) {
      if (!spot.consumed) {
        this.raw.push({ term: spot.term, negated: false, factor: 1, clause: spot.clause, segment: spot.segment, sentence: spot.sentence, english: spot.term === DANGLING_NEGATION });
      }
    }
    return this.raw;
  }

  private takeModifier(at: number): PendingModifier | undefined {
    const p = this.pending && this.pending.expires >= at ? this.pending : undefined;
    this.pending = undefined;
    return p;
  }

  private addModifier(modifier: Modifier, at: number, expires: number, dangling?: LexiconTerm): void {
    if (modifier.kind === 'contrast') {
      this.segment++;
      this.pending = undefined;
      return;
    }
    if (modifier.kind === 'concessive') {
      this.concessiveClauses.add(this.clause);
      return;
    }
    if (modifier.kind === 'conclusion' || modifier.kind === 'minor') {
      if (modifier.kind === 'conclusion') this.conclusionSentence = this.sentence;
      else this.minorSentence = this.sentence;
      this.pending = undefined;
      return;
    }
    // A chain (不太好, "not very good") carries on only while the earlier modifier is still in reach.
    const base = this.pending && this.pending.expires >= at ? this.pending : undefined;
    let spot = base?.spot;
    if (modifier.kind === 'negator' && dangling) {
      spot = { clause: this.clause, segment: this.segment, sentence: this.sentence, term: dangling, consumed: false };
      this.negators.push(spot);
    }
    this.pending = {
      negated: modifier.kind === 'negator' || modifier.kind === 'prohibit' ? !(base?.negated ?? false) : (base?.negated ?? false),
      factor: Math.min(MAX_FACTOR, (base?.factor ?? 1) * (modifier.kind === 'scale' ? modifier.factor : 1)),
      expires,
      ...(spot ? { spot } : {}),
      ...(modifier.kind === 'prohibit' || base?.prohibit ? { prohibit: true } : {}),
    };
  }

  private addHit(term: LexiconTerm, at: number, english: boolean, inner = 1): void {
    const mod = this.takeModifier(at);
    if (mod?.spot) mod.spot.consumed = true;
    // 别浪费钱, 不要一拖再拖: what is told to stop is what went wrong.
    const prohibited = mod?.prohibit === true && mod.negated && term.weight < 0;
    this.raw.push({
      term,
      negated: prohibited ? false : (mod?.negated ?? false),
      factor: Math.min(MAX_FACTOR, (mod?.factor ?? 1) * inner) * (prohibited ? PROHIBITED_NEGATIVE : 1),
      clause: this.clause,
      segment: this.segment,
      sentence: this.sentence,
      english,
      ...(this.conclusionSentence === this.sentence ? { conclusion: true } : {}),
      ...(this.minorSentence === this.sentence ? { minor: true } : {}),
    });
  }

  run(): void {
    const { text } = this;
    const n = text.length;
    let i = 0;
    while (i < n) {
      const ch = text[i]!;
      if (CLAUSE_END.has(ch)) i = this.clauseEnd(i);
      else if (isWordChar(ch)) i = this.english(i);
      else i = this.chinese(i);
    }
  }

  private clauseEnd(i: number): number {
    const { text } = this;
    const ch = text[i]!;
    // An emoticon that starts with punctuation (:( :-) ;) :d) ends the clause as well.
    const symbol = symbolAt(this.index, text, i);
    let next = i + 1;
    if (symbol) {
      this.addHit(symbol, i, false);
      next = i + symbol.term.length;
    } else {
      // "Really?", "seriously!": exasperation.
      if ((ch === '?' || ch === '!') && /\b(?:really|seriously)\s*$/.test(text.slice(Math.max(0, i - 12), i))) this.addHit(EXASPERATION, this.words, true);
      if (ch === '?' || ch === '？') {
        if (this.clauseOpener !== undefined && INFO_QUESTION.has(this.clauseOpener)) this.infoQuestions.add(this.clause);
        else if (isCjk(text[i - 1])) this.zhQuestions.add(this.clause);
      }
    }
    this.clause++;
    if (SENTENCE_END.has(ch)) this.sentence++;
    this.clauseOpener = undefined;
    this.pending = undefined;
    return next;
  }

  /** An English word: the longest phrase of up to four words from here, else a modifier, else a variant. */
  private english(i: number): number {
    const { text, index } = this;
    const n = text.length;
    // @handles name someone; they say nothing about the sentiment.
    if (text[i - 1] === '@') {
      while (i < n && (isWordChar(text[i]) || text[i] === '_')) i++;
      return i;
    }
    const ends: number[] = [];
    let j = i;
    for (let w = 0; w < MAX_PHRASE_WORDS; w++) {
      while (j < n && isWordChar(text[j])) j++;
      ends.push(j);
      if (j >= n || text[j] !== ' ' || !isWordChar(text[j + 1])) break;
      j++;
    }
    this.clauseOpener ??= text.slice(i, ends[0]);
    for (let w = ends.length; w >= 1; w--) {
      const phrase = text.slice(i, ends[w - 1]!);
      const term = lookupPhrase(index, phrase);
      if (term) {
        this.addHit(term, this.words, true);
        this.words += w;
        return ends[w - 1]!;
      }
      if (w <= 2) {
        const modifier = lookupModifier(index, phrase);
        if (modifier) {
          this.addModifier(modifier, this.words, this.words + w + EN_WINDOW, DANGLING_NEGATION);
          this.words += w;
          return ends[w - 1]!;
        }
      }
    }
    // A mixed-script term (q弹) or a variant of a word (sooo, sucked).
    const mixed = cjkTermAt(index, text, i);
    if (mixed) {
      this.addHit(mixed, this.words, false);
      this.words++;
      return i + mixed.term.length;
    }
    const variant = variantOf(index, text.slice(i, ends[0]!));
    if (variant && 'term' in variant) this.addHit(variant, this.words, true);
    else if (variant) this.addModifier(variant, this.words, this.words + 1 + EN_WINDOW, DANGLING_NEGATION);
    this.words++;
    return ends[0]!;
  }

  /**
   * Chinese, emoji and other symbols: the longest lexicon term here, unless a longer modifier starts here or a
   * modifier is followed by a term (好慢: 好 intensifies 慢; 很好 is a term of its own).
   */
  private chinese(i: number): number {
    const { text, index } = this;
    const ch = text[i]!;
    const term = cjkTermAt(index, text, i);
    // An A-not-A question (是不是, 能不能, 有没有, 好不好吃, 满不满意) asks; its 不 / 没 negates nothing, and what
    // follows is read on its own (是不是有点太贵了 complains, 能不能给个说法 demands).
    if ((text[i + 1] === '不' || text[i + 1] === '没') && text[i + 2] === ch && isCjk(ch) && !(term && term.term.length > 3)) return i + 3;
    // 硬了点, 贵了一些: "a little too …", unless a negative term already says so (少了, 晚了).
    if (text[i + 1] === '了' && ZH_EXCESS_ADJECTIVES.includes(ch) && !ZH_CHANGE_VERBS.has(text[i - 1] ?? '') && !(term && term.weight < 0)) {
      const suffix = ZH_EXCESS_SUFFIXES.find((x) => text.startsWith(x, i + 1));
      if (suffix) {
        this.addHit(ZH_EXCESS, i, false);
        return i + 1 + suffix.length;
      }
    }
    // 量挺大, 速度超级快, 态度特别差: an aspect and its adjective (量大, 速度快, 态度差) with a degree adverb between them.
    const split = splitTermAt(index, text, i);
    if (split && (!term || term.term.length < split.end - i)) {
      this.addHit(split.term, i, false, split.factor);
      return split.end;
    }
    const modifiers = isCjk(ch) ? index.zhModifiers.get(ch) : undefined;
    let modifier: readonly [string, Modifier] | undefined;
    if (modifiers) for (const m of modifiers) if (text.startsWith(m[0], i)) {
      modifier = m;
      break;
    }
    const modifierFirst =
      modifier &&
      (!term ||
        modifier[0].length > term.term.length ||
        (modifier[0].length === term.term.length && (modifier[1].kind === 'minor' || modifier[1].kind === 'conclusion' || startsTerm(index, text, i + modifier[0].length))));
    if (modifier && modifierFirst) {
      this.addModifier(modifier[1], i, i + modifier[0].length + ZH_WINDOW, ZH_DANGLING_NEGATORS.includes(modifier[0]) ? ZH_DANGLING_NEGATION : undefined);
      return i + modifier[0].length;
    }
    if (term) {
      const end = i + term.term.length;
      // A term that ends in a negator (还是不, 一直没, 再也不) must not swallow what it negates: 还是不错 is praise,
      // 还是不好 a complaint. A term that starts at the negator (不错, 不满意, 没问题) is read on its own (the prefix
      // counts only when that term is negative); otherwise the negator goes on to the next term.
      if (term.term.length > 1 && ZH_TRAILING_NEGATORS.has(text[end - 1]!)) {
        const overlap = cjkTermAt(index, text, end - 1);
        if (overlap && overlap.weight !== 0 && overlap.term.length > 1) {
          if (overlap.weight < 0) this.addHit(term, i, false);
          return end - 1;
        }
        this.addHit(term, i, false);
        this.pending = { negated: true, factor: 1, expires: end + ZH_WINDOW };
        return end;
      }
      this.addHit(term, i, false);
      return end;
    }
    return i + 1;
  }
}

/** The longest non-English term (Chinese, emoji, emoticon, mixed script) that starts at `at`. */
function cjkTermAt(index: LexiconIndex, text: string, at: number): LexiconTerm | undefined {
  const longest = index.longestByFirstChar.get(text[at]!);
  if (!longest) return undefined;
  for (let len = Math.min(longest, text.length - at); len >= 1; len--) {
    const term = index.symbols.get(text.slice(at, at + len));
    if (term && symbolEnds(text, at, term.term)) return term;
  }
  return undefined;
}

/**
 * Degree adverbs that may stand inside an aspect term. Not 太 / 过于 (肉太多 complains where 肉多 praises) nor 有点
 * / 稍 (调料有点多): those say "too much".
 */
const SPLIT_ADVERBS = new Set(['很', '挺', '蛮', '非常', '特别', '超', '超级', '十分', '相当', '极', '极其', '巨', '贼', '好', '真', '真的', '比较', '实在', '格外', '无比', '灰常']);

/**
 * A term of an aspect (one to three characters) and an adjective (one or two) that the text splits with a degree
 * adverb (量 挺 大, 速度 超级 快, 服务 很 差), with the adverb's factor; the aspect must not be a modifier itself.
 */
function splitTermAt(index: LexiconIndex, text: string, at: number): { term: LexiconTerm; factor: number; end: number } | undefined {
  if (!isCjk(text[at]) || index.zhModifiers.has(text[at]!) || !index.longestByFirstChar.has(text[at]!)) return undefined;
  for (let a = 1; a <= 3 && at + a < text.length; a++) {
    if (!isCjk(text[at + a - 1])) return undefined;
    const adverbs = index.zhModifiers.get(text[at + a]!);
    if (!adverbs) continue;
    for (const [adverb, modifier] of adverbs) {
      if (modifier.kind !== 'scale' || !SPLIT_ADVERBS.has(adverb) || !text.startsWith(adverb, at + a)) continue;
      const rest = at + a + adverb.length;
      for (let r = 2; r >= 1; r--) {
        const term = index.symbols.get(text.slice(at, at + a) + text.slice(rest, rest + r));
        if (term && term.weight !== 0 && term.term.length === a + r) return { term, factor: modifier.factor, end: rest + r };
      }
    }
  }
  return undefined;
}

/** A symbol term made of letters or digits at its end (:d, :p, <3) must not run into a word (:do, <30). */
function symbolEnds(text: string, at: number, term: string): boolean {
  const last = term[term.length - 1]!;
  if (!isWordChar(last) && last !== '/') return true;
  const next = text[at + term.length];
  return !isWordChar(next) && next !== '/';
}

function symbolAt(index: LexiconIndex, text: string, at: number): LexiconTerm | undefined {
  const term = cjkTermAt(index, text, at);
  return term && term.term.length > 1 ? term : undefined;
}

function startsTerm(index: LexiconIndex, text: string, at: number): boolean {
  const longest = index.longestByFirstChar.get(text[at] ?? '') ?? 0;
  for (let len = Math.min(longest, text.length - at); len >= 1; len--) if (index.symbols.get(text.slice(at, at + len))?.weight) return true;
  // A modifier chain (不太好, 非常不满意) also counts.
  const modifiers = index.zhModifiers.get(text[at] ?? '');
  return modifiers?.some((m) => (m[1].kind === 'negator' || m[1].kind === 'prohibit' || m[1].kind === 'scale') && text.startsWith(m[0], at) && startsTerm(index, text, at + m[0].length)) ?? false;
}

function emphasisOf(input: string): number {
  const exclamations = Math.min((input.match(/[!！]/g) ?? []).length, 6);
  const questionRuns = (input.match(/[?？]{2,}/g) ?? []).length;
  // 太慢了了了, 啊啊啊, "sooooo"
  const repeats = (input.match(/(.)\1{2,}/gu) ?? []).filter((r) => !/^[\d\s.。…~～-]+$/u.test(r)).length;
  const shouting = (input.match(/\b[A-Z]{3,}\b/g) ?? []).filter((w) => !['USA', 'ASAP', 'FAQ', 'API', 'USD', 'CEO', 'TSA', 'FAA', 'DM'].includes(w)).length;
  return 1 + exclamations * 0.12 + questionRuns * 0.2 + Math.min(repeats, 2) * 0.15 + Math.min(shouting, 3) * 0.15;
}

interface Clauses {
  readonly concessiveClauses: ReadonlySet<number>;
  readonly infoQuestions: ReadonlySet<number>;
  readonly zhQuestions: ReadonlySet<number>;
}


function summarise(input: string, raw: readonly RawHit[], clauses: Clauses): LexiconScore {
  const emphasis = emphasisOf(input);
  const cues = new Set<string>();
  // Blockers (weight 0) only took their characters and any modifier before them.
  const scored = raw.filter((h) => h.term.weight !== 0);
  // Per sentence, the first and last contrast segment that holds a term: a contrast re-weighs only when something
  // was said on both sides of it.
  const spans = new Map<number, [number, number]>();
  for (const h of scored) {
    const span = spans.get(h.sentence);
    if (!span) spans.set(h.sentence, [h.segment, h.segment]);
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
        weight = -weight * NEGATED_POSITIVE;
        emotion = 'disappointed';
      } else {
        // "不着急", "not bad": calm, slightly positive.
        weight = -weight * NEGATED_NEGATIVE;
        emotion = undefined;
      }
      cues.add('negation');
    }
    const span = spans.get(h.sentence)!;
    if (span[1] > span[0]) {
      weight *= h.segment === span[1] ? AFTER_CONTRAST : BEFORE_CONTRAST;
      cues.add('contrast');
    }
    if (clauses.concessiveClauses.has(h.clause)) weight *= CONCESSIVE;
    if (h.conclusion) {
      weight *= CONCLUSION;
      cues.add('verdict');
    }
    if (h.minor && weight < 0) weight *= MINOR_FLAW;
    if (weight < 0) {
      if (clauses.infoQuestions.has(h.clause)) weight *= INFO_QUESTION_NEGATIVE;
      weight *= emphasis * (h.english ? EN_NEGATIVE_BALANCE : 1);
    } else if (clauses.zhQuestions.has(h.clause)) {
      weight *= ZH_QUESTION_POSITIVE;
    }
    if (weight > 0) positive += weight;
    else negative -= weight;
    if (h.term.cue && !h.negated) cues.add(h.term.cue);
    weighed.push({ h, weight, emotion });
  }
  const scale = Math.max(positive, negative) > MASS_CAP ? MASS_CAP / Math.max(positive, negative) : 1;
  const hits: Hit[] = [];
  const emotions = new Map<Emotion, number>();
  for (const { h, weight, emotion } of weighed) {
    const w = weight * scale;
    if (emotion && emotion !== 'neutral') emotions.set(emotion, (emotions.get(emotion) ?? 0) + Math.abs(w));
    hits.push({ term: h.term.term, weight: w, ...(emotion ? { emotion } : {}), ...(h.term.cue ? { cue: h.term.cue } : {}), negated: h.negated });
  }
  if (emphasis > 1.2) cues.add('emphasis');
  return { positive: positive * scale, negative: negative * scale, emotions, emphasis, hits, cues: [...cues] };
}
