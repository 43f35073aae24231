/** Editing rules of the knowledge base: validation, versions, status changes, flat records, unanswered keys. */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/domain/errors.ts';
import { changedFields, changeStatus, createEntry, entryFromObject, entryFromRecord, problemsOf, recordFromEntry, reviseEntry, unansweredKey } from '../../shared/domain/knowledge/knowledge-admin.ts';
import { nextValidityChange, answerFor } from '../../shared/domain/knowledge/knowledge-entry.ts';
import { normalise } from '../../shared/domain/knowledge/text-features.ts';

const by = { actor: 'admin', at: '2026-11-22T00:00:00.000Z' };
const input = { questions: [' 怎么退货 ', '怎么退货', 'How do I return?'], answers: { 'zh-Hans': '七天无理由', en: '7 days' }, category: 'returns' };

describe('knowledge entries', () => {
  it('creates version 1 as a draft, cleans and de-duplicates the questions, derives the languages', () => {
    const entry = createEntry('kb-returns', input, by);
    expect(entry).toMatchObject({ id: 'kb-returns', status: 'draft', version: 1, questions: ['怎么退货', 'How do I return?'], languages: ['zh-Hans', 'en'], updatedBy: 'admin' });
  });

  it('lists every problem at once and throws KNOWLEDGE.INVALID', () => {
    const problems = problemsOf('x', { questions: [], answers: { fr: 'bonjour' }, category: ' ', validFrom: '2026-02-01T00:00:00Z', validUntil: '2026-01-01T00:00:00Z' });
    expect(problems.map((p) => p.field).sort()).toEqual(['answers.fr', 'category', 'id', 'questions', 'validUntil']);
    expect(() => createEntry('x', { ...input, questions: [] }, by)).toThrow(DomainError);
  });

  it('makes each edit and status change a new version; the same status again is no change', () => {
    const v1 = createEntry('kb-returns', input, by);
    const v2 = changeStatus(v1, 'published', by)!;
    expect(v2).toMatchObject({ status: 'published', version: 2 });
    expect(changeStatus(v2, 'published', by)).toBeUndefined();
    const v3 = reviseEntry(v2, { ...input, questions: [...input.questions, '退货流程'] }, by);
    expect(v3).toMatchObject({ status: 'published', version: 3 });
    expect(changedFields(v2, v3)).toEqual(['questions']);
    expect(changedFields(v3, { ...v3, answers: { en: '7 days', 'zh-Hans': '七天无理由' } })).toEqual([]);
  });

  it('round-trips through a flat record and the exported JSON shape', () => {
    const entry = { ...createEntry('kb-returns', { ...input, attachments: [{ kind: 'link' as const, url: 'https://shop.example/returns', title: 'Returns policy' }] }, by), status: 'published' as const };
    const back = entryFromRecord(recordFromEntry(entry));
    expect(back.problems).toEqual([]);
    expect(back.status).toBe('published');
    expect(back.input).toMatchObject({ questions: entry.questions, answers: entry.answers, attachments: entry.attachments });
    const fromJson = entryFromObject({ id: 'kb-returns', questions: 'not a list', answers: { en: 1 } });
    expect(fromJson.problems.map((p) => p.field)).toEqual(expect.arrayContaining(['questions', 'answers.en']));
  });

  it('counts the same question in 繁體 and 简体, with or without punctuation, under one key', () => {
    expect(unansweredKey('退貨怎麼辦？', normalise)).toBe(unansweredKey('退货怎么办', normalise));
    expect(unansweredKey('👍', normalise)).toBe('');
  });

  it('knows when a validity window opens or closes next, and picks the channel answer first', () => {
    const now = new Date('2026-11-22T00:00:00Z');
    const e = { ...createEntry('kb-sale', { ...input, validFrom: '2026-11-25T00:00:00Z', validUntil: '2026-12-01T00:00:00Z' }, by), status: 'published' as const };
    expect(nextValidityChange([e], now)?.toISOString()).toBe('2026-11-25T00:00:00.000Z');
    expect(nextValidityChange([e], new Date('2026-11-26T00:00:00Z'))?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    const sms = { ...e, channelAnswers: { sms: { en: '7 days (SMS)' } } };
    expect(answerFor(sms, 'en', 'sms')).toBe('7 days (SMS)');
    expect(answerFor(sms, 'en', 'webchat')).toBe('7 days');
    expect(answerFor(sms, 'zh-Hant')).toBe('七天无理由');
  });
});
