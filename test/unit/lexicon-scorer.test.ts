import { describe, expect, it } from 'vitest';
import { buildLexiconIndex, DEFAULT_LEXICON, parseLexicon, scoreWithLexicon } from '../../shared/domain/sentiment/lexicon-scorer.ts';

const terms = (text: string) => scoreWithLexicon(text).hits.map((h) => h.term);
const net = (text: string) => {
  const s = scoreWithLexicon(text);
  return s.positive - s.negative;
};

describe('the lexicon format', () => {
  it('reads a term, its weight, its emotion and its cue; a phrase may have spaces', () => {
    expect(parseLexicon('// a comment\n投诉 -2.5 angry #complaint\nnot bad 1 happy\n快递 0')).toEqual([
      { term: '投诉', weight: -2.5, emotion: 'angry', cue: 'complaint' },
      { term: 'not bad', weight: 1, emotion: 'happy' },
      { term: '快递', weight: 0 },
    ]);
  });

  it('rejects a line without a weight or with an unknown field', () => {
    expect(() => parseLexicon('投诉')).toThrow(/without a weight/);
    expect(() => parseLexicon('投诉 -2 furious')).toThrow(/unknown field/);
  });

  it('ships a large lexicon without duplicate entries', () => {
    const seen = new Set<string>();
    const duplicates = DEFAULT_LEXICON.filter((t) => (seen.has(t.term) ? true : (seen.add(t.term), false))).map((t) => t.term);
    expect(duplicates).toEqual([]);
    expect(DEFAULT_LEXICON.filter((t) => /[\u4e00-\u9fff]/.test(t.term)).length).toBeGreaterThan(1000);
    expect(DEFAULT_LEXICON.filter((t) => /^[a-z0-9' ]+$/.test(t.term)).length).toBeGreaterThan(800);
    for (const t of DEFAULT_LEXICON) expect(Math.abs(t.weight)).toBeLessThanOrEqual(3);
  });
});

describe('the lexicon scorer', () => {
  it('lets a blocker keep its characters from shorter terms and negators', () => {
    expect(terms('快递到了')).toEqual([]);
    expect(terms('卫生间很大')).not.toContain('卫生');
    expect(net('不知道好不好吃')).toBeLessThanOrEqual(0.8);
    expect(terms('这是五星级酒店')).toEqual([]);
  });

  it('negates within a short window and chains modifiers', () => {
    expect(net('不太满意')).toBeLessThan(0);
    expect(net('没有想象中那么差')).toBeGreaterThan(0);
    expect(net('本以为很好吃')).toBeLessThan(0);
    expect(net("I don't like this")).toBeLessThan(0);
    expect(net('not very helpful')).toBeLessThan(0);
    expect(net('not bad at all')).toBeGreaterThan(0);
  });

  it('reads a negator that no term takes as a mild complaint', () => {
    expect(net("can't get anyone on the phone")).toBeLessThan(0);
    expect(net('no food, no water')).toBeLessThan(-1);
    expect(net('没有热水')).toBeLessThan(0);
    expect(net('未来可期')).toBe(0);
  });

  it('reads English through curly apostrophes, elongation, glued units and inflections', () => {
    expect(net('I don’t like it')).toBeLessThan(0);
    expect(net('sooo good')).toBeGreaterThan(net('good'));
    expect(terms('baaad')).toEqual(['bad']);
    expect(terms('3hrs')).toEqual(['hrs']);
    expect(terms('she appreciates it')).toEqual(['appreciate']);
    expect(terms("he'll call")).toEqual([]);
  });

  it('splits hashtags into words', () => {
    expect(terms('#CustomerServiceFail')).toContain('fail');
    expect(terms('#worstairlineever')).toContain('worst');
  });

  it('skips @handles and links, and reads emoticons at punctuation', () => {
    expect(terms('@lovelyairline http://t.co/lovely')).toEqual([]);
    expect(net('great flight :)')).toBeGreaterThan(net('great flight'));
    expect(net('delayed again :(')).toBeLessThan(net('delayed again'));
    expect(terms('see C:/data')).toEqual([]);
  });

  it('weighs what follows a contrast above what came before it, within the sentence', () => {
    expect(net('环境不错，但是太吵')).toBeLessThan(0);
    expect(net('虽然贵了点，但是物有所值')).toBeGreaterThan(0);
    const contrasted = scoreWithLexicon('the crew was great but the delay was terrible');
    expect(contrasted.cues).toContain('contrast');
    expect(contrasted.negative).toBeGreaterThan(contrasted.positive);
  });

  it('weighs a verdict (总的来说, "overall") double and a minor flaw (美中不足) half', () => {
    expect(scoreWithLexicon('总的来说还不错').positive).toBeCloseTo(2 * scoreWithLexicon('还不错').positive, 5);
    expect(scoreWithLexicon('总的来说还不错').cues).toContain('verdict');
    expect(scoreWithLexicon('overall the crew was great').positive).toBeGreaterThan(scoreWithLexicon('the crew was great').positive);
    expect(scoreWithLexicon('美中不足的是隔音太差').negative).toBeLessThan(scoreWithLexicon('隔音太差').negative);
    expect(net('房间小，隔音差，总体还是不错的')).toBeGreaterThan(net('房间小，隔音差，还是不错的'));
  });

  it('keeps words that straddle a term from reading as it (早上|当, 靠江, 妈妈的, 觉得很厉害)', () => {
    expect(terms('早上当镜子用了一下')).not.toContain('上当');
    expect(terms('靠江的房间')).toEqual([]);
    expect(terms('妈妈的书')).not.toContain('妈的');
    expect(net('我觉得很厉害')).toBeGreaterThan(0);
    expect(net('发热得厉害')).toBeLessThan(0);
  });

  it('reads the 不 / 没 of an A-not-A question as asking, not negating', () => {
    expect(terms('好不好吃')).toEqual([]);
    expect(net('是不是有点太不合理了')).toBeLessThan(0);
    expect(net('能不能给个说法')).toBeLessThan(0);
  });

  it('reads a prohibition of a complaint as a complaint, and of praise as its negation', () => {
    expect(net('别浪费钱')).toBeLessThan(0);
    expect(net('不要一拖再拖')).toBeLessThan(0);
    expect(net('别高兴得太早')).toBeLessThan(0);
    expect(net('别担心')).toBeGreaterThanOrEqual(0);
  });

  it('reads an aspect term split by a degree adverb, but not a "too much" adverb', () => {
    expect(terms('量挺大的')).toEqual(['量大']);
    expect(scoreWithLexicon('态度特别差').negative).toBeGreaterThan(scoreWithLexicon('态度差').negative);
    expect(terms('肉太多')).not.toContain('肉多');
  });

  it('reads an adjective of degree with 了点 as a mild complaint, not a change', () => {
    expect(net('机器厚了点')).toBeLessThan(0);
    expect(net('厚了一些')).toBeLessThan(0);
    expect(terms('提高了一点')).toEqual([]);
  });

  it('reads 不是一般的 as a degree, 不大 as "not very", and a wish (就好了) as no praise', () => {
    expect(scoreWithLexicon('不是一般的差').negative).toBeGreaterThan(scoreWithLexicon('差').negative);
    expect(net('不是一般的差')).toBeLessThan(0);
    expect(terms('不大方便')).toEqual(['方便']);
    expect(net('不大方便')).toBeLessThan(0);
    expect(net('要是饼再厚点就好了')).toBeLessThanOrEqual(0);
  });

  it('damps negative terms in an information question and positive ones in a Chinese question', () => {
    expect(scoreWithLexicon('is my flight delayed?').negative).toBeLessThan(scoreWithLexicon('my flight is delayed.').negative);
    expect(scoreWithLexicon('这也叫好吃？').positive).toBeLessThan(scoreWithLexicon('这也叫好吃。').positive);
  });

  it('reads "really?" as exasperation and repeated emphasis as stronger', () => {
    expect(scoreWithLexicon('three hours. really?').cues).toContain('waiting');
    expect(net('really?')).toBeLessThan(0);
    expect(scoreWithLexicon('太慢了!!!').negative).toBeGreaterThan(scoreWithLexicon('太慢了').negative);
  });

  it('keeps a long text under the mass cap without changing its balance', () => {
    const long = '很好，'.repeat(20) + '很差，'.repeat(5);
    const s = scoreWithLexicon(long);
    expect(s.positive).toBeLessThanOrEqual(7.5 + 1e-9);
    expect(s.positive).toBeGreaterThan(s.negative);
  });

  it('reports cues', () => {
    expect(scoreWithLexicon('我要投诉，说了多少遍了').cues).toEqual(expect.arrayContaining(['complaint', 'repeat']));
    expect(scoreWithLexicon('still waiting, this is urgent').cues).toEqual(expect.arrayContaining(['waiting', 'urgency']));
    expect(scoreWithLexicon('I will cancel my account').cues).toContain('cancel');
  });

  it('scores with a custom index', () => {
    const index = buildLexiconIndex(parseLexicon('棒棒 2 happy'));
    expect(scoreWithLexicon('棒棒', index).positive).toBe(2);
    expect(scoreWithLexicon('很好', index).hits).toEqual([]);
  });
});
