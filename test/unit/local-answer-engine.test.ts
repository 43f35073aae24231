import { describe, expect, it } from 'vitest';
import { LocalAnswerEngine } from '../../shared/domain/knowledge/local-answer-engine.ts';
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
});
