/**
 * The routing administration API over HTTP against the local runtime (real DynamoDB Local): agents' profiles that
 * never overwrite their live state, groups whose references (calendar, overflow group, SLA policy) must exist,
 * business calendars and SLA policies validated whole by the domain parsers, and the roles (admins write,
 * supervisors read).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../support/local-platform.ts';

let platform: Platform;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  platform = await startPlatform();
  for (const id of ['admin', 'agent-chen', 'agent-li', 'agent-wang']) tokens[id] = await platform.runtime.tokenFor(id);
}, 90_000);
afterAll(async () => platform?.runtime.stop());

const as = (who: string) => ({
  get: (path: string) => platform.request('GET', path, { token: tokens[who] }),
  put: (path: string, body: unknown) => platform.request('PUT', path, { token: tokens[who], body }),
});
const admin = as('admin');
const supervisor = as('agent-chen');

const officeHours = {
  name: 'Office hours',
  timeZone: 'Asia/Shanghai',
  weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '18:00' }]])),
  holidays: ['2027-02-08'],
  specialDays: [{ date: '2027-02-20', hours: [{ start: '09:00', end: '18:00' }] }],
};

const target = (priority: string, minutes: number) => ({ priority, firstResponseMinutes: minutes, nextResponseMinutes: minutes * 2, resolutionMinutes: minutes * 8 });
const vipPolicy = {
  name: 'VIP',
  calendarId: 'office-hours',
  warnBeforeMinutes: 10,
  targets: [target('urgent', 10), target('high', 20), target('normal', 30), target('low', 60)],
  onBreach: { raisePriority: true, reassignToGroupId: 'overflow' },
};

describe('roles', () => {
  it('lets supervisors read, and refuses writes from anyone but an admin', async () => {
    expect((await supervisor.get('/v1/admin/agents')).status).toBe(200);
    expect(await as('agent-li').get('/v1/admin/agents')).toMatchObject({ status: 403, body: { error: { code: 'AUTH.FORBIDDEN' } } });
    const body = { name: 'Nobody', skills: [], groups: ['default'], languages: [], capacity: 2 };
    expect(await as('agent-li').put('/v1/admin/agents/agent-nobody', body)).toMatchObject({ status: 403, body: { error: { code: 'AUTH.FORBIDDEN' } } });
    expect(await supervisor.put('/v1/admin/groups/nobody', { name: 'Nobody' })).toMatchObject({ status: 403, body: { error: { code: 'AUTH.FORBIDDEN' } } });
    // Nothing was written.
    expect((await admin.get('/v1/admin/agents/agent-nobody')).body.error.code).toBe('AGENT.UNKNOWN');
    expect((await admin.get('/v1/admin/groups/nobody')).status).toBe(404);
  });
});

describe('business calendars', () => {
  it('refuses a bad calendar with every bad field named, and writes nothing', async () => {
    const bad = {
      ...officeHours,
      timeZone: 'Mars/Olympus',
      weekly: { mon: [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '18:00' }], tue: [{ start: '25:00', end: '26:00' }] },
      holidays: ['2027-02-30'],
    };
    // The shape first (impossible times and dates)…
    const shape = await admin.put('/v1/admin/calendars/bad-hours', bad);
    expect(shape).toMatchObject({ status: 400, body: { error: { code: 'CALENDAR.INVALID' } } });
    expect(shape.body.error.message).toMatch(/weekly\.tue\.0\.start/);
    expect(shape.body.error.message).toMatch(/holidays\.0: is not a real calendar date/);
    // …then the rules (time zone, overlapping intervals).
    const rules = await admin.put('/v1/admin/calendars/bad-hours', { ...bad, weekly: { mon: bad.weekly.mon }, holidays: [] });
    expect(rules).toMatchObject({ status: 400, body: { error: { code: 'CALENDAR.INVALID' } } });
    expect(rules.body.error.message).toMatch(/timeZone: unknown time zone "Mars\/Olympus"/);
    expect(rules.body.error.message).toMatch(/weekly\.mon\.1\.start: overlaps/);

    const unknownField = await admin.put('/v1/admin/calendars/bad-hours', { ...officeHours, opensAt: '09:00' });
    expect(unknownField).toMatchObject({ status: 400, body: { error: { code: 'CALENDAR.INVALID' } } });
    expect(unknownField.body.error.message).toMatch(/opensAt: unknown field/);
    expect(await admin.put('/v1/admin/calendars/bad-hours', { ...officeHours, id: 'other' })).toMatchObject({ status: 400, body: { error: { code: 'CALENDAR.INVALID', message: expect.stringMatching(/^invalid business calendar: id: /) } } });
    expect(await admin.put('/v1/admin/calendars/bad-hours', { ...officeHours, weekly: {}, specialDays: [] })).toMatchObject({ status: 400, body: { error: { code: 'CALENDAR.NEVER_OPEN' } } });
    expect(await admin.put('/v1/admin/calendars/always-open', officeHours)).toMatchObject({ status: 400, body: { error: { code: 'CALENDAR.INVALID' } } });
    expect(await admin.get('/v1/admin/calendars/bad-hours')).toMatchObject({ status: 404, body: { error: { code: 'CALENDAR.NOT_FOUND' } } });
  });

  it('stores a calendar (path id) and shows whether it is open and its next change', async () => {
    const created = await admin.put('/v1/admin/calendars/office-hours', officeHours);
    expect(created).toMatchObject({ status: 201, body: { id: 'office-hours', timeZone: 'Asia/Shanghai', openNow: expect.any(Boolean) } });
    expect((await admin.put('/v1/admin/calendars/office-hours', { ...officeHours, id: 'office-hours' })).status).toBe(200);

    const read = await supervisor.get('/v1/admin/calendars/office-hours');
    expect(read).toMatchObject({ status: 200, body: { id: 'office-hours', name: 'Office hours', holidays: ['2027-02-08'] } });
    const { openNow, nextOpening, nextClosing } = read.body as { openNow: boolean; nextOpening: string; nextClosing: string };
    const [opening, closing] = [Date.parse(nextOpening), Date.parse(nextClosing)];
    expect(Number.isFinite(opening) && Number.isFinite(closing)).toBe(true);
    // Open: it closes first, then opens again; closed: it opens first, then closes.
    expect(openNow ? closing < opening : opening < closing).toBe(true);
    expect(Math.max(opening, closing) - Date.now()).toBeLessThan(5 * 86_400_000);

    const list = (await supervisor.get('/v1/admin/calendars')).body.calendars as Array<{ id: string; builtIn?: boolean; openNow: boolean; nextClosing: string | null }>;
    expect(list.map((c) => c.id)).toEqual(expect.arrayContaining(['always-open', 'office-hours', 'shop-hours']));
    expect(list.find((c) => c.id === 'always-open')).toMatchObject({ builtIn: true, openNow: true, nextClosing: null });
  });
});

describe('SLA policies', () => {
  it('lists and shows the built-in default policy', async () => {
    const list = (await supervisor.get('/v1/admin/sla-policies')).body.policies as Array<{ id: string; builtIn?: boolean }>;
    expect(list.find((p) => p.id === 'default')).toMatchObject({ builtIn: true, calendarId: 'always-open' });
    expect(await supervisor.get('/v1/admin/sla-policies/default')).toMatchObject({ status: 200, body: { id: 'default', builtIn: true } });
    expect(await supervisor.get('/v1/admin/sla-policies/vip-sla')).toMatchObject({ status: 404, body: { error: { code: 'SLA.NOT_FOUND' } } });
  });

  it('refuses a bad policy or dangling references, and writes nothing', async () => {
    const missingLow = await admin.put('/v1/admin/sla-policies/vip-sla', { ...vipPolicy, targets: vipPolicy.targets.slice(0, 3) });
    expect(missingLow).toMatchObject({ status: 400, body: { error: { code: 'SLA.INVALID' } } });
    expect(missingLow.body.error.message).toMatch(/targets: no target without a type for priority low/);
    const badMinutes = await admin.put('/v1/admin/sla-policies/vip-sla', { ...vipPolicy, warnBeforeMinutes: -1, targets: [{ ...target('urgent', 10), firstResponseMinutes: 0 }, ...vipPolicy.targets.slice(1)] });
    expect(badMinutes.body.error.message).toMatch(/warnBeforeMinutes: must be at least 0/);
    expect(badMinutes.body.error.message).toMatch(/targets\.0\.firstResponseMinutes: must be greater than 0/);

    const dangling = await admin.put('/v1/admin/sla-policies/vip-sla', { ...vipPolicy, calendarId: 'ghost-hours', onBreach: { raisePriority: false, reassignToGroupId: 'ghost-team' } });
    expect(dangling).toMatchObject({ status: 400, body: { error: { code: 'SLA.INVALID' } } });
    expect(dangling.body.error.message).toMatch(/calendarId: calendar "ghost-hours" does not exist/);
    expect(dangling.body.error.message).toMatch(/onBreach\.reassignToGroupId: group "ghost-team" does not exist/);
    expect((await admin.get('/v1/admin/sla-policies/vip-sla')).status).toBe(404);
  });

  it('stores a policy on a stored calendar, and on the built-in 24x7 one', async () => {
    expect(await admin.put('/v1/admin/sla-policies/vip-sla', vipPolicy)).toMatchObject({ status: 201, body: { id: 'vip-sla', calendarId: 'office-hours' } });
    expect(await supervisor.get('/v1/admin/sla-policies/vip-sla')).toMatchObject({ status: 200, body: { id: 'vip-sla', onBreach: { reassignToGroupId: 'overflow' }, targets: expect.arrayContaining([expect.objectContaining({ priority: 'low' })]) } });
    expect((await admin.put('/v1/admin/sla-policies/round-the-clock', { ...vipPolicy, name: '24x7', calendarId: 'always-open', onBreach: undefined })).status).toBe(201);
    const ids = ((await supervisor.get('/v1/admin/sla-policies')).body.policies as Array<{ id: string }>).map((p) => p.id);
    expect(ids).toEqual(['default', 'round-the-clock', 'vip-sla']);
  });
});

describe('routing groups', () => {
  it('refuses dangling or circular references and out-of-range numbers, naming each field', async () => {
    const dangling = await admin.put('/v1/admin/groups/vip', { name: 'VIP desk', calendarId: 'ghost-hours', overflowGroupId: 'ghost-team', slaPolicyId: 'ghost-sla' });
    expect(dangling).toMatchObject({ status: 400, body: { error: { code: 'REQUEST.VALIDATION_FAILED' } } });
    for (const field of ['calendarId: calendar "ghost-hours"', 'overflowGroupId: group "ghost-team"', 'slaPolicyId: SLA policy "ghost-sla"']) expect(dangling.body.error.message).toContain(field);
    expect((await admin.put('/v1/admin/groups/vip', { name: 'VIP desk', overflowGroupId: 'vip' })).body.error.message).toMatch(/overflowGroupId: a group cannot overflow into itself/);
    const numbers = await admin.put('/v1/admin/groups/vip', { name: 'VIP desk', maxQueue: -1, maxWaitSeconds: 5, outsourced: 'no' });
    expect(numbers).toMatchObject({ status: 400, body: { error: { code: 'REQUEST.VALIDATION_FAILED' } } });
    for (const field of ['maxQueue: must be at least 0', 'maxWaitSeconds: must be at least 10', 'outsourced: expected boolean']) expect(numbers.body.error.message).toContain(field);
    expect((await admin.put('/v1/admin/groups/vip', { name: 'VIP desk', maxWaitSeconds: 86_401 })).body.error.message).toContain('maxWaitSeconds: must be at most 86400');
    expect((await admin.put('/v1/admin/groups/vip', { id: 'other', name: 'VIP desk' })).body.error.message).toMatch(/id: "other" is not the group in the path/);
    expect(await admin.get('/v1/admin/groups/vip')).toMatchObject({ status: 404, body: { error: { code: 'GROUP.NOT_FOUND' } } });
  });

  it('stores a group with its calendar, overflow group and SLA policy', async () => {
    const group = { name: 'VIP desk', calendarId: 'office-hours', overflowGroupId: 'overflow', slaPolicyId: 'vip-sla', maxQueue: 5, maxWaitSeconds: 120, outsourced: false };
    expect(await admin.put('/v1/admin/groups/vip', group)).toMatchObject({ status: 201, body: { id: 'vip', ...group } });
    expect(await supervisor.get('/v1/admin/groups/vip')).toMatchObject({ status: 200, body: { id: 'vip', ...group } });
    // A PUT replaces the group: what is left out is gone.
    expect(await admin.put('/v1/admin/groups/vip', { id: 'vip', name: 'VIP desk', calendarId: 'office-hours', slaPolicyId: 'default' })).toMatchObject({ status: 200 });
    const read = (await supervisor.get('/v1/admin/groups/vip')).body;
    expect(read).toEqual({ id: 'vip', name: 'VIP desk', calendarId: 'office-hours', slaPolicyId: 'default' });
    expect(((await supervisor.get('/v1/admin/groups')).body.groups as Array<{ id: string }>).map((g) => g.id)).toEqual(['default', 'overflow', 'vip']);
  });
});

describe('agents', () => {
  const zhao = {
    name: '赵敏 Zhao Min',
    email: 'zhao.min@demo-shop.example',
    skills: ['payments', 'vip'],
    skillLevels: { payments: 'expert', vip: 'junior' },
    groups: ['default', 'vip'],
    languages: ['zh-Hans', 'en'],
    capacity: 3,
  };

  it('refuses a bad profile with every bad field named, and writes nothing', async () => {
    const bad = await admin.put('/v1/admin/agents/agent-zhao', { ...zhao, capacity: 51, skillLevels: { payments: 'guru' }, email: 'not-an-email' });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'REQUEST.VALIDATION_FAILED' } } });
    for (const field of ['capacity: must be at most 50', 'skillLevels.payments: must be "junior", "mid" or "expert"', 'email: must be an email address']) expect(bad.body.error.message).toContain(field);
    expect((await admin.put('/v1/admin/agents/agent-zhao', { ...zhao, capacity: -1 })).body.error.message).toContain('capacity: must be at least 0');
    expect((await admin.put('/v1/admin/agents/agent-zhao', { ...zhao, capacity: 2.5 })).body.error.message).toContain('capacity: must be a whole number');

    const refs = await admin.put('/v1/admin/agents/agent-zhao', { ...zhao, groups: ['default', 'night-shift'], skillLevels: { refunds: 'mid' } });
    expect(refs).toMatchObject({ status: 400, body: { error: { code: 'REQUEST.VALIDATION_FAILED' } } });
    expect(refs.body.error.message).toContain('groups.1: group "night-shift" does not exist');
    expect(refs.body.error.message).toContain('skillLevels.refunds: "refunds" is not one of the agent\'s skills');

    const live = await admin.put('/v1/admin/agents/agent-zhao', { ...zhao, presence: 'online', load: 0 });
    expect(live.status).toBe(400);
    expect(live.body.error.message).toMatch(/load: live state kept by routing/);
    expect(live.body.error.message).toMatch(/presence: live state set by the agent/);
    expect((await admin.put('/v1/admin/agents/agent-zhao', { ...zhao, id: 'agent-qian' })).body.error.message).toMatch(/id: "agent-qian" is not the agent in the path/);
    expect((await admin.put('/v1/admin/agents/bad%23id', zhao)).body.error.message).toMatch(/agentId: may contain only/);

    expect(await admin.get('/v1/admin/agents/agent-zhao')).toMatchObject({ status: 404, body: { error: { code: 'AGENT.UNKNOWN' } } });
  });

  it('creates an agent (offline, no load) who can sign in, and a second PUT keeps the live state', async () => {
    const created = await admin.put('/v1/admin/agents/agent-zhao', zhao);
    expect(created).toMatchObject({ status: 201, body: { id: 'agent-zhao', ...zhao, presence: 'offline', load: 0, freeSlots: 0 } });
    expect(await supervisor.get('/v1/admin/agents/agent-zhao')).toMatchObject({ status: 200, body: { id: 'agent-zhao', ...zhao, presence: 'offline', load: 0 } });

    // The agent directory reads the same item: the new agent signs in and goes online.
    const token = await platform.runtime.tokenFor('agent-zhao');
    expect(await platform.request('GET', '/v1/agent/me', { token })).toMatchObject({ status: 200, body: { id: 'agent-zhao', name: zhao.name, skills: zhao.skills, roles: ['agent'] } });
    expect(await platform.request('PUT', '/v1/agent/presence', { token, body: { presence: 'online' } })).toMatchObject({ status: 200 });

    const { email: _email, ...withoutEmail } = zhao;
    void _email;
    const updated = await admin.put('/v1/admin/agents/agent-zhao', { ...withoutEmail, skills: ['payments'], skillLevels: { payments: 'mid' }, capacity: 5 });
    expect(updated).toMatchObject({ status: 200, body: { presence: 'online', load: 0, capacity: 5, freeSlots: 5, skills: ['payments'], skillLevels: { payments: 'mid' } } });
    expect(updated.body.email).toBeUndefined();
    const listed = ((await supervisor.get('/v1/admin/agents')).body.agents as Array<{ id: string }>).find((a) => a.id === 'agent-zhao');
    expect(listed).toMatchObject({ presence: 'online', capacity: 5 });
  });

  it('keeps a busy agent\'s load when the capacity is lowered below it (no new offers until it drops)', async () => {
    const { routingStore } = await import('../../shared/adapters/wiring/storage.ts');
    const wang = (await routingStore().getAgent('agent-wang'))!;
    await routingStore().putAgent({ ...wang, load: 2, missedOffers: 1, lastAssignedAt: '2026-11-01T08:00:00.000Z' });

    const profile = { name: wang.name, email: 'wang.wei@demo-shop.example', skills: ['payments', 'accounts'], groups: ['default'], languages: ['zh-Hans'], capacity: 1 };
    const res = await admin.put('/v1/admin/agents/agent-wang', profile);
    expect(res).toMatchObject({ status: 200, body: { ...profile, presence: 'online', load: 2, missedOffers: 1, lastAssignedAt: '2026-11-01T08:00:00.000Z', freeSlots: 0 } });
    expect(await routingStore().getAgent('agent-wang')).toMatchObject({ capacity: 1, load: 2, presence: 'online', missedOffers: 1 });
    expect(await platform.request('GET', '/v1/agent/me', { token: tokens['agent-wang'] })).toMatchObject({ status: 200, body: { capacity: 1, languages: ['zh-Hans'] } });
  });
});
