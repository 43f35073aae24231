import { describe, expect, it } from 'vitest';
import { LocalAnswerEngine } from '../../shared/domain/knowledge/local-answer-engine.ts';
import type { KnowledgeEntry } from '../../shared/domain/knowledge/knowledge-entry.ts';
import { DEMO_KNOWLEDGE } from '../../infra/local/seed.ts';

const now = new Date('2026-11-22T00:00:00Z');
const engine = new LocalAnswerEngine(DEMO_KNOWLEDGE, now);

describe('the local answer engine', () => {
  it.each([
    ['我的包裹到哪了', 'kb-logistics-track'],
    ['where is my parcel', 'kb-logistics-track'],
    ['我的包裹到哪裡了', 'kb-logistics-track'],
    ['怎么退货', 'kb-returns-how'],
    ['退貨流程是什麼', 'kb-returns-how'],
    ['how do I return an item?', 'kb-returns-how'],
    ['退款多久能到账', 'kb-refund-time'],
    ['忘记密码了怎么办', 'kb-account-password'],
  ])('answers %s from %s', (question, entryId) => {
    const result = engine.answer(question);
    expect(result.kind === 'answer' ? result.entryId : `${result.kind}:${result.alternatives[0]?.entryId}`).toBe(entryId);
  });

  it('answers in the language of the question', () => {
    const result = engine.answer('where is my package');
    expect(result.kind).toBe('answer');
    if (result.kind === 'answer') expect(result.text).toMatch(/My orders/);
  });

  it('declares an unrelated question out of scope', () => {
    expect(engine.answer('今天天气怎么样').kind).toBe('out_of_scope');
    expect(engine.answer('what is the capital of France').kind).toBe('out_of_scope');
  });

  it('never serves expired or draft knowledge', () => {
    const expired = engine.answer('双十一活动怎么参加');
    expect(expired.kind === 'answer' ? expired.entryId : undefined).not.toBe('kb-promo-expired');
    const draft = engine.answer('会员等级怎么升级');
    expect(draft.kind === 'answer' ? draft.entryId : undefined).not.toBe('kb-draft-membership');
  });

  it('serves an entry before its expiry', () => {
    const before = new LocalAnswerEngine(DEMO_KNOWLEDGE, new Date('2026-11-05T00:00:00Z'));
    const result = before.answer('双十一活动怎么参加');
    expect(result.kind === 'answer' ? result.entryId : result.kind).toBe('kb-promo-expired');
  });

  it('is deterministic', () => {
    expect(engine.answer('发票怎么开')).toEqual(engine.answer('发票怎么开'));
  });

  it('returns the top k candidates with their nearest variant, best first (grounding for a generative provider)', () => {
    const candidates = engine.candidates('退款多久能到账', 3);
    expect(candidates).toHaveLength(3);
    expect(candidates[0]).toMatchObject({ entryId: 'kb-refund-time', question: '退款多久到账' });
    expect(candidates[0]!.score).toBeGreaterThanOrEqual(candidates[1]!.score);
    expect(engine.candidates('退款多久能到账', 0)).toEqual([]);
  });

  it('offers suggestions only when they are relevant', () => {
    const result = engine.answer('我要投诉你们');
    expect(result.alternatives.every((a) => a.score >= 0.2)).toBe(true);
  });

  it('matches Traditional questions against Simplified variants and back', () => {
    const result = engine.answer('請問怎麼開發票');
    expect(result.kind === 'answer' ? result.entryId : `${result.kind}:${result.alternatives[0]?.entryId}`).toBe('kb-invoice');
  });

  it('does not load jieba for English knowledge and questions (injectable segmenter)', () => {
    const calls: string[] = [];
    const entry = (id: string, questions: string[]): KnowledgeEntry => ({ id, questions, answers: { default: id }, category: 'c', tags: [], status: 'published', version: 1, updatedAt: '2026-01-01T00:00:00Z' });
    const english = new LocalAnswerEngine([entry('a', ['where is my parcel', 'track my order']), entry('b', ['how do I return an item'])], now, { segmenter: (t) => (calls.push(t), []) });
    expect(english.answer('where is my parcel?').kind).toBe('answer');
    expect(calls).toEqual([]);
  });

  it('answers, suggests and lists candidates in the order rank() gives (partial selection = full sort)', () => {
    for (const question of ['怎么退货', 'where is my parcel', '请问怎么开发票', '我要投诉你们', '发票开错了', 'how long is the warranty']) {
      const ranked = engine.rank(question);
      expect(engine.candidates(question, 4).map((c) => c.entryId)).toEqual(ranked.slice(0, 4).map((r) => r.entryId));
      const result = engine.answer(question);
      if (result.kind === 'answer') expect(result.entryId).toBe(ranked[0]!.entryId);
      for (const r of ranked) expect(r.agreement).toBeGreaterThanOrEqual(0);
      for (const r of ranked) expect(r.agreement).toBeLessThanOrEqual(1);
    }
  });

  it('does not hold politeness that no entry knows against a question (请问 …)', () => {
    const plain = engine.rank('怎么开发票')[0]!;
    const polite = engine.rank('请问怎么开发票')[0]!;
    expect(polite.entryId).toBe(plain.entryId);
    expect(polite.cosine).toBeGreaterThan(0.7);
  });

  it('stays consistent above 2,000 variants (approximate similarity, exact re-scored neighbours)', () => {
    const topics = ['card', 'refund', 'transfer', 'pin', 'account', 'cash', 'fee', 'rate', 'limit', 'app', 'phone', 'address', 'top up', 'wallet', 'statement', 'cheque', 'loan', 'savings', 'crypto', 'travel', 'atm', 'salary'];
    const frames = ['how do i change my {t}', 'my {t} is not working', 'why was my {t} declined', 'can i get a new {t}', 'what is the {t} for', 'i have a problem with the {t}', 'where do i find my {t}', 'is there a charge for {t}', 'help me with {t} please', 'i want to cancel the {t}'];
    const extras = ['today', 'again', 'right now', 'urgently', 'this week', 'abroad', 'online', 'at the shop', 'on my phone', 'for my child', 'yesterday'];
    const many: KnowledgeEntry[] = topics.map((t) => ({
      id: `kb-${t.replace(' ', '-')}`,
      questions: frames.flatMap((f) => extras.map((x) => `${f.replace('{t}', t)} ${x}`)),
      answers: { default: t },
      category: 'c',
      tags: [],
      status: 'published',
      version: 1,
      updatedAt: '2026-01-01T00:00:00Z',
    }));
    const big = new LocalAnswerEngine(many, now);
    expect(big.size).toBeGreaterThan(2000);
    for (const question of ['my refund has not arrived', 'the atm kept my card', 'how much is the fee', 'what is the weather like']) {
      const ranked = big.rank(question);
      expect(big.candidates(question, 3).map((c) => c.entryId)).toEqual(ranked.slice(0, 3).map((r) => r.entryId));
      const result = big.answer(question);
      if (result.kind === 'answer') expect(result.entryId).toBe(ranked[0]!.entryId);
    }
    const exact = big.rank('my refund is not working today')[0]!;
    expect(exact).toMatchObject({ entryId: 'kb-refund', agreement: 1 });
  });

  it('works with a single entry (no classifier, similarity only)', () => {
    const one = new LocalAnswerEngine([{ id: 'only', questions: ['how do I reset my password'], answers: { default: 'x' }, category: 'c', tags: [], status: 'published', version: 1, updatedAt: '2026-01-01T00:00:00Z' }], now);
    expect(one.answer('how do I reset my password').kind).toBe('answer');
    expect(one.answer('what is the weather like').kind).toBe('out_of_scope');
  });
});
