import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/domain/errors.ts';
import {
  applyPatch,
  canTransition,
  checkMerge,
  customerReplyEffect,
  dueKeyOf,
  mergeStates,
  mergeSummary,
  newTicket,
  normalizeTags,
  orderNumberFromSlots,
  patchCustomFields,
  statusAfterAgentComment,
  TICKET_STATUSES,
  transition,
  validateCustomFields,
  type Ticket,
  type TicketStatus,
} from '../../shared/domain/tickets/ticket.ts';

const AT = '2026-11-22T10:00:00.000Z';
const LATER = '2026-11-22T11:00:00.000Z';

function ticket(overrides: Partial<Ticket> = {}): Ticket {
  return { ...newTicket({ id: 't1', customerId: 'cus_1', type: 'inquiry', priority: 'normal', subject: 'Where is my parcel', description: 'it is late', createdAt: AT }), ...overrides };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return undefined;
}

describe('ticket status transitions', () => {
  const allowed: Record<TicketStatus, TicketStatus[]> = {
    new: ['open', 'pending', 'on-hold', 'solved'],
    open: ['pending', 'on-hold', 'solved'],
    pending: ['open', 'on-hold', 'solved'],
    'on-hold': ['open', 'pending', 'solved'],
    solved: ['open', 'closed'],
    closed: [],
  };
  for (const from of TICKET_STATUSES) {
    for (const to of TICKET_STATUSES) {
      if (from === to) continue;
      const ok = allowed[from].includes(to);
      it(`${ok ? 'allows' : 'refuses'} ${from} → ${to}`, () => {
        expect(canTransition(from, to)).toBe(ok);
        const code = codeOf(() => transition(ticket({ status: from }), to, LATER));
        expect(code).toBe(ok ? undefined : from === 'closed' ? 'TICKET.CLOSED' : 'TICKET.INVALID_TRANSITION');
      });
    }
  }

  it('stamps solvedAt on solve and forgets it on reopen; closedAt on close', () => {
    const solved = transition(ticket({ status: 'open' }), 'solved', LATER);
    expect(solved.solvedAt).toBe(LATER);
    expect(transition(solved, 'open', LATER).solvedAt).toBeUndefined();
    expect(transition(solved, 'closed', LATER).closedAt).toBe(LATER);
  });

  it('treats the same status as no change', () => {
    const t = ticket({ status: 'open' });
    expect(transition(t, 'open', LATER)).toBe(t);
  });

  it('refuses every update of a closed ticket', () => {
    expect(codeOf(() => applyPatch(ticket({ status: 'closed' }), { priority: 'high' }, LATER))).toBe('TICKET.CLOSED');
  });

  it('opens a new ticket on an agent public reply, not on an internal note', () => {
    expect(statusAfterAgentComment(ticket(), 'public')).toBe('open');
    expect(statusAfterAgentComment(ticket(), 'internal')).toBe('new');
    expect(statusAfterAgentComment(ticket({ status: 'pending' }), 'public')).toBe('pending');
  });

  it('reopens a solved ticket on a customer reply and asks for a follow-up on a closed one', () => {
    expect(customerReplyEffect(ticket({ status: 'solved' }))).toEqual({ kind: 'comment', reopen: 'open' });
    expect(customerReplyEffect(ticket({ status: 'pending' }))).toEqual({ kind: 'comment', reopen: 'open' });
    expect(customerReplyEffect(ticket({ status: 'on-hold' }))).toEqual({ kind: 'comment', reopen: undefined });
    expect(customerReplyEffect(ticket({ status: 'closed' }))).toEqual({ kind: 'follow-up' });
  });
});

describe('ticket due key', () => {
  it('is the due time of an active ticket, "~" without one, and "~<time>" once solved or closed', () => {
    expect(dueKeyOf(ticket({ dueAt: LATER }))).toBe(LATER);
    expect(dueKeyOf(ticket())).toBe('~');
    expect(dueKeyOf(ticket({ status: 'solved', solvedAt: LATER, dueAt: LATER }))).toBe(`~${LATER}`);
    expect(dueKeyOf(ticket({ status: 'closed', closedAt: LATER }))).toBe(`~${LATER}`);
    // Active tickets sort before solved ones, and "due before" never matches a solved ticket.
    expect(['~', LATER, `~${AT}`].sort()).toEqual([LATER, '~', `~${AT}`]);
  });
});

describe('tags and custom fields', () => {
  it('normalises tags: trimmed, lower case, inner spaces as _, NFKC, duplicates dropped', () => {
    expect(normalizeTags([' VIP ', 'vip', 'Late  Delivery', 'ＡＢＣ', '退货', 'order:KF1'])).toEqual(['vip', 'late_delivery', 'abc', '退货', 'order:kf1']);
  });

  it('refuses empty, too long, badly formed or too many tags', () => {
    expect(codeOf(() => normalizeTags(['  ']))).toBe('TICKET.INVALID');
    expect(codeOf(() => normalizeTags(['x'.repeat(51)]))).toBe('TICKET.INVALID');
    expect(codeOf(() => normalizeTags(['no!bang']))).toBe('TICKET.INVALID');
    expect(codeOf(() => normalizeTags([3]))).toBe('TICKET.INVALID');
    expect(codeOf(() => normalizeTags('vip'))).toBe('TICKET.INVALID');
    expect(normalizeTags(Array.from({ length: 20 }, (_, i) => `t${i}`))).toHaveLength(20);
    expect(codeOf(() => normalizeTags(Array.from({ length: 21 }, (_, i) => `t${i}`)))).toBe('TICKET.INVALID');
    // 21 given but duplicates fold to 20: accepted.
    expect(normalizeTags([...Array.from({ length: 20 }, (_, i) => `t${i}`), 'T0'])).toHaveLength(20);
  });

  it('adds and removes tags through a patch, still capped at 20', () => {
    const t = ticket({ tags: ['a', 'b'] });
    expect(applyPatch(t, { addTags: ['C', 'a'], removeTags: ['b'] }, LATER).ticket.tags).toEqual(['a', 'c']);
    const full = ticket({ tags: Array.from({ length: 20 }, (_, i) => `t${i}`) });
    expect(codeOf(() => applyPatch(full, { addTags: ['one-more'] }, LATER))).toBe('TICKET.INVALID');
  });

  it('accepts string, number and boolean values under valid keys', () => {
    expect(validateCustomFields({ orderTotal: 12.5, gift: true, sku: 'A-1' })).toEqual({ orderTotal: 12.5, gift: true, sku: 'A-1' });
  });

  it('refuses bad keys, other values and more than 50 fields', () => {
    expect(codeOf(() => validateCustomFields({ '1abc': 'x' }))).toBe('TICKET.INVALID');
    expect(codeOf(() => validateCustomFields({ 'a-b': 'x' }))).toBe('TICKET.INVALID');
    expect(codeOf(() => validateCustomFields({ nested: { a: 1 } }))).toBe('TICKET.INVALID');
    expect(codeOf(() => validateCustomFields({ list: [1] }))).toBe('TICKET.INVALID');
    expect(codeOf(() => validateCustomFields({ n: Number.NaN }))).toBe('TICKET.INVALID');
    expect(codeOf(() => validateCustomFields({ s: 'x'.repeat(1001) }))).toBe('TICKET.INVALID');
    expect(codeOf(() => validateCustomFields([]))).toBe('TICKET.INVALID');
    expect(Object.keys(validateCustomFields(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}`, i]))))).toHaveLength(50);
    expect(codeOf(() => validateCustomFields(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, i]))))).toBe('TICKET.INVALID');
  });

  it('patches custom fields: a value sets, null removes', () => {
    expect(patchCustomFields({ a: 1, b: 'x' }, { a: null, c: false })).toEqual({ b: 'x', c: false });
  });
});

describe('ticket patches', () => {
  it('reports only what changed, with from and to', () => {
    const { ticket: next, changes } = applyPatch(ticket(), { priority: 'high', status: 'open', assigneeId: 'agent-li', subject: 'Where is my parcel' }, LATER);
    expect(changes).toEqual({ priority: { from: 'normal', to: 'high' }, status: { from: 'new', to: 'open' }, assigneeId: { from: null, to: 'agent-li' } });
    expect(next).toMatchObject({ priority: 'high', status: 'open', assigneeId: 'agent-li', updatedAt: LATER, version: 1 });
  });

  it('unassigns with null and refuses unknown values', () => {
    expect(applyPatch(ticket({ assigneeId: 'agent-li' }), { assigneeId: null }, LATER).ticket.assigneeId).toBeUndefined();
    expect(codeOf(() => applyPatch(ticket(), { priority: 'asap' }, LATER))).toBe('TICKET.INVALID');
    expect(codeOf(() => applyPatch(ticket(), { status: 'done' }, LATER))).toBe('TICKET.INVALID');
    expect(codeOf(() => applyPatch(ticket(), { type: 'other' }, LATER))).toBe('TICKET.INVALID');
  });
});

describe('merge rules', () => {
  const source = ticket({ id: 'src', status: 'open' });
  const target = ticket({ id: 'dst', status: 'open' });

  it('merges an open source into an open target', () => {
    expect(checkMerge(source, target)).toEqual({ kind: 'merge' });
    const merged = mergeStates(source, target, LATER);
    expect(merged.source).toMatchObject({ status: 'closed', closedAt: LATER, version: 2, links: [{ kind: 'ticket', ticketId: 'dst', relation: 'merged-into' }] });
    expect(merged.target).toMatchObject({ status: 'open', version: 2, links: [{ kind: 'ticket', ticketId: 'src', relation: 'merged-from' }] });
  });

  it('sees a merge already done as done (idempotent)', () => {
    const merged = mergeStates(source, target, LATER);
    expect(checkMerge(merged.source, merged.target)).toEqual({ kind: 'already-merged' });
  });

  it('refuses merging into itself, into a closed ticket, a closed source and chains', () => {
    expect(codeOf(() => checkMerge(source, source))).toBe('TICKET.MERGE_REFUSED');
    expect(codeOf(() => checkMerge(source, ticket({ id: 'dst', status: 'closed' })))).toBe('TICKET.MERGE_REFUSED');
    expect(codeOf(() => checkMerge(ticket({ id: 'src', status: 'closed' }), target))).toBe('TICKET.MERGE_REFUSED');
    const { source: mergedSource, target: absorbed } = mergeStates(source, target, LATER);
    // dst has absorbed src: merging dst into a third ticket would leave src pointing at a closed ticket.
    expect(codeOf(() => checkMerge(absorbed, ticket({ id: 'third' })))).toBe('TICKET.MERGE_REFUSED');
    // src was merged into dst: merging src elsewhere, or anything into src, is refused.
    expect(codeOf(() => checkMerge(mergedSource, ticket({ id: 'third' })))).toBe('TICKET.MERGE_REFUSED');
    expect(codeOf(() => checkMerge(ticket({ id: 'third' }), mergedSource))).toBe('TICKET.MERGE_REFUSED');
  });

  it('summarises the source and its public replies for the target', () => {
    const summary = mergeSummary(source, [{ id: 'c1', ticketId: 'src', visibility: 'public', author: 'customer', authorKind: 'customer', text: 'still waiting', createdAt: AT }]);
    expect(summary).toContain('Merged from ticket src: Where is my parcel');
    expect(summary).toContain('it is late');
    expect(summary).toContain('still waiting');
  });
});

describe('new tickets', () => {
  it('fills defaults: status new, version 1, no tags, updatedAt = createdAt', () => {
    expect(ticket()).toMatchObject({ status: 'new', version: 1, tags: [], customFields: {}, links: [], updatedAt: AT });
  });

  it('refuses a ticket created closed, and bad types or priorities', () => {
    expect(codeOf(() => newTicket({ id: 't', customerId: 'c', type: 'inquiry', priority: 'normal', subject: 's', description: '', createdAt: AT, status: 'closed' }))).toBe('TICKET.INVALID');
    expect(codeOf(() => newTicket({ id: 't', customerId: 'c', type: 'x' as never, priority: 'normal', subject: 's', description: '', createdAt: AT }))).toBe('TICKET.INVALID');
    expect(codeOf(() => newTicket({ id: 't', customerId: 'c', type: 'inquiry', priority: 'normal', subject: '  ', description: '', createdAt: AT }))).toBe('TICKET.INVALID');
  });

  it('finds the order number among a flow\'s slots', () => {
    expect(orderNumberFromSlots({ orderNumber: 'KF20240008', item: 'sku-1' })).toBe('KF20240008');
    expect(orderNumberFromSlots({ ref: 'kf20240003' })).toBe('KF20240003');
    expect(orderNumberFromSlots({ item: 'sku-1' })).toBeUndefined();
  });
});
