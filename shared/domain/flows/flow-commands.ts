/**
 * The short answers a flow understands at any step or in a confirmation: cancel words and yes / no. A message counts
 * only when it is made of such words and fillers alone ("算了吧谢谢", "yes please"), so that "取消订单" (a new question)
 * or "stop sending me emails" is not read as a cancel.
 */
import { normalise } from '../knowledge/text-features.ts';

const CANCEL_WORDS = ['算了', '取消', '不用了', '不要了', '不需要了', '不办了', '不弄了', 'cancel', 'nevermind', 'never mind', 'stop', 'quit', 'forgetit', 'forget it', 'exit'];
const FILLERS = ['吧', '了', '啦', '呀', '啊', '哈', '的', '呢', '谢谢', '谢了', '好吧', '那', '那就', '还是', '嗯', 'please', 'thanks', 'thankyou', 'thank you', 'ok', 'okay', 'then', 'just', 'it', 'that', 'is', "that's", 'thats', 'oh'];

const YES_WORDS = ['好吧', '是', '是的', '对', '对的', '确认', '确定', '好', '好的', '可以', '行', '没问题', '没错', '提交', '同意', 'yes', 'y', 'yeah', 'yep', 'yup', 'correct', 'right', 'sure', 'confirm', 'confirmed', 'ok', 'okay', 'go ahead', 'submit'];
const NO_WORDS = ['不', '不是', '否', '不对', '不要', '不行', '不可以', '错了', '不确认', '不用', 'no', 'n', 'nope', 'not', 'wrong', 'incorrect', 'nah', 'not correct', 'not right', '不正确'];

function compact(text: string): string {
  return normalise(text).replace(/[\s!！?？。.,，、~～…'"“”‘’:：;；()（）]+/gu, '');
}

function vocabulary(words: readonly string[]): string[] {
  return [...new Set(words.map(compact))].filter(Boolean).sort((a, b) => b.length - a.length);
}

const cancelVocabulary = vocabulary(CANCEL_WORDS);
const fillerVocabulary = vocabulary(FILLERS);

/**
 * Splits `text` into words of the given vocabularies, longest first; undefined when something else remains.
 */
function tokenise(text: string, vocabularies: readonly (readonly string[])[]): { word: string; vocabulary: number }[] | undefined {
  let rest = compact(text);
  const tokens: { word: string; vocabulary: number }[] = [];
  while (rest.length > 0) {
    let best: { word: string; vocabulary: number } | undefined;
    for (let v = 0; v < vocabularies.length; v++) {
      for (const word of vocabularies[v]!) {
        if (rest.startsWith(word) && (!best || word.length > best.word.length)) best = { word, vocabulary: v };
      }
    }
    if (!best) return undefined;
    tokens.push(best);
    rest = rest.slice(best.word.length);
  }
  return tokens;
}

/** "算了", "取消", "不用了", "cancel", "never mind" ... (optionally with fillers: "算了吧谢谢", "cancel please"). */
export function isCancelRequest(text: string): boolean {
  const tokens = tokenise(text, [cancelVocabulary, fillerVocabulary]);
  return tokens !== undefined && tokens.some((t) => t.vocabulary === 0);
}

/** yes / no / undefined (neither, both, or not only such words: "是不是" asks, it does not confirm). */
export function yesOrNo(text: string, extra: { yes?: readonly string[]; no?: readonly string[] } = {}): 'yes' | 'no' | undefined {
  const yes = vocabulary([...YES_WORDS, ...(extra.yes ?? [])]);
  const no = vocabulary([...NO_WORDS, ...(extra.no ?? [])]);
  // Fillers that are also yes words ("ok", "嗯") count as yes: the yes / no vocabularies come first.
  const tokens = tokenise(text, [yes, no, fillerVocabulary]);
  const kinds = new Set((tokens ?? []).filter((t) => t.vocabulary < 2).map((t) => t.vocabulary));
  if (kinds.size !== 1) return undefined;
  return kinds.has(0) ? 'yes' : 'no';
}
