import { describe, expect, it } from 'vitest';
import { detectLanguage, foldTraditional, hasTraditional, normalise } from '../../shared/domain/knowledge/text-features.ts';
import { intentFeatures, isFunctionFeature } from '../../shared/domain/knowledge/intent-features.ts';
import { noSegmenter, type Segmenter } from '../../shared/domain/knowledge/segmenter.ts';
import { trainOneVsRest } from '../../shared/domain/knowledge/linear-svm.ts';

describe('Traditional → Simplified folding', () => {
  it.each([
    ['退貨', '退货'],
    ['帳號被鎖了怎麼辦', '账号被锁了怎么办'],
    ['請問運費多少錢', '请问运费多少钱'],
    ['發票開立', '发票开立'],
    ['優惠券過期', '优惠券过期'],
    ['會員積分兌換', '会员积分兑换'],
    ['甚麼時候到貨', '什么时候到货'],
    ['無法登入帳戶', '无法登录账户'],
  ])('folds %s to %s', (traditional, simplified) => {
    expect(foldTraditional(traditional)).toBe(simplified);
  });

  it('leaves Simplified text as it is', () => {
    expect(foldTraditional('我想退货，请问怎么办')).toBe('我想退货，请问怎么办');
  });

  it('tells Traditional script from Simplified, not counting characters both use', () => {
    expect(hasTraditional('退貨')).toBe(true);
    expect(hasTraditional('著名的干货')).toBe(false);
    expect(detectLanguage('退貨流程是什麼')).toBe('zh-Hant');
    expect(detectLanguage('退货流程是什么')).toBe('zh-Hans');
  });

  it('normalises width and case', () => {
    expect(normalise('ＡＢＣ 退貨')).toBe('abc 退货');
  });
});

describe('intent features', () => {
  it('gives English words, bigrams and character n-grams inside word boundaries', () => {
    const bag = intentFeatures("Card hasn't arrived", noSegmenter);
    expect(bag.words).toEqual(['card', 'card hasnt', 'hasnt', 'hasnt arrived', 'arrived']);
    expect(bag.chars).toContain(' c');
    expect(bag.chars).toContain('card ');
    expect(bag.chars).not.toContain('d h');
  });

  it('gives Chinese character 1–3-grams and the segmenter’s words, Traditional folded', () => {
    const segmenter: Segmenter = (text) => (text === '退货流程' ? ['退货', '流程'] : []);
    const bag = intentFeatures('退貨流程', segmenter);
    expect(bag.chars).toEqual(expect.arrayContaining(['退', '退货', '退货流', '流程']));
    expect(bag.words).toEqual(['_退货', '_流程']);
  });
});

describe('function features', () => {
  it('tells politeness and function words from topic words', () => {
    for (const f of ['_请问', 'please', 'can you', 'how do']) expect(isFunctionFeature(f, 'words')).toBe(true);
    for (const f of ['请问', '请', '吗']) expect(isFunctionFeature(f, 'chars')).toBe(true);
    for (const f of ['_发票', '_开发票', 'refund', 'my card']) expect(isFunctionFeature(f, 'words')).toBe(false);
    for (const f of ['请假', '发', 'to', ' pl', 'the ']) expect(isFunctionFeature(f, 'chars')).toBe(false);
  });
});

describe('the one-vs-rest linear SVM', () => {
  it('separates two classes and is deterministic', () => {
    const rows = { rowStart: Int32Array.from([0, 1, 2, 3, 4]), indices: Int32Array.from([0, 0, 1, 1]), values: Float32Array.from([1, 1, 1, 1]), columns: 2 };
    const labels = Int32Array.from([0, 0, 1, 1]);
    const a = trainOneVsRest(rows, labels, 2);
    const b = trainOneVsRest(rows, labels, 2);
    expect([...a.weights]).toEqual([...b.weights]);
    // feature 0 votes for class 0, feature 1 for class 1
    expect(a.weights[0 * 2 + 0]! + a.biases[0]!).toBeGreaterThan(a.weights[0 * 2 + 1]! + a.biases[1]!);
    expect(a.weights[1 * 2 + 1]! + a.biases[1]!).toBeGreaterThan(a.weights[1 * 2 + 0]! + a.biases[0]!);
  });
});
