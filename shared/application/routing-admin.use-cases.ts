/**
 * Routing administration: agents (skills, levels, groups, capacity), routing groups, business calendars and SLA
 * policies. Reads show what routing uses (an agent's live load and presence, a calendar's next opening); every write
 * is validated as a whole — shape, ranges and the references between the four kinds — before anything is stored, and
 * a bad input is one error naming every bad field ("path: what is wrong; …"), with nothing written.
 *
 * References: an agent's groups, a group's overflow group and an SLA policy's breach group must be stored groups or
 * "default" (routing treats "default" as existing even when it is not stored); a group's calendar and an SLA policy's
 * calendar must be stored calendars or "always-open" (the built-in 24x7 calendar); a group's SLA policy must be
 * stored or "default" (the built-in policy).
 */
import * as z from 'zod/mini';
import { DomainError, type ErrorCode } from '../domain/errors.ts';
import { ALWAYS_OPEN, isOpen, nextClosing, nextOpening, parseCalendar, type BusinessCalendar } from '../domain/routing/business-calendar.ts';
import { DEFAULT_GROUP_ID, freeSlots, type RoutableAgent, type RoutingGroup } from '../domain/routing/routing.ts';
import { DEFAULT_SLA_POLICY, parseSlaPolicy, type SlaPolicy } from '../domain/tickets/sla.ts';
import { describeIssues, type Problem } from '../domain/validation-issues.ts';
import type { Clock } from '../ports/gateways.ts';
import type { AgentProfile, ChannelSettingsStore, RoutingStore } from '../ports/routing.ts';
import type { Channel } from '../domain/conversation/conversation.ts';

export interface RoutingAdminDeps {
  readonly routing: RoutingStore;
  readonly clock: Clock;
}

/** 0: a person in the directory who takes no conversations (an admin, a supervisor who only watches). */
export const AGENT_CAPACITY = { min: 0, max: 50 } as const;
export const GROUP_MAX_WAIT_SECONDS = { min: 10, max: 86_400 } as const;

// ---------------------------------------------------------------- views

/** An agent with its live state: load (offers in flight count), presence, free seats. */
export type AgentView = RoutableAgent & { readonly email?: string; readonly load: number; readonly freeSlots: number };
export type GroupView = RoutingGroup & { readonly builtIn?: true };
/** A calendar with what an admin screen shows: open now, and the next change (null: none within a year). */
export type CalendarView = BusinessCalendar & { readonly builtIn?: true; readonly openNow: boolean; readonly nextOpening: string | null; readonly nextClosing: string | null };
export type SlaPolicyView = SlaPolicy & { readonly builtIn?: true };

function agentView(agent: RoutableAgent): AgentView {
  const presence = agent.presence ?? 'offline';
  const load = agent.load ?? 0;
  return { ...agent, presence, load, freeSlots: freeSlots({ ...agent, presence, load }) };
}

const BUILT_IN_DEFAULT_GROUP: GroupView = { id: DEFAULT_GROUP_ID, name: 'Default', builtIn: true };
const builtInPolicy = (): SlaPolicyView => ({ ...DEFAULT_SLA_POLICY, builtIn: true });

function calendarView(calendar: BusinessCalendar, now: Date, builtIn = false): CalendarView {
  const openNow = isOpen(calendar, now);
  // The next change: when open, the closing (then the opening after it); when closed, the opening (then its closing).
  let opening: Date | undefined;
  let closing: Date | undefined;
  if (openNow) {
    closing = nextClosing(calendar, now);
    opening = closing ? nextOpening(calendar, closing) : undefined;
  } else {
    opening = nextOpening(calendar, now);
    closing = opening ? nextClosing(calendar, opening) : undefined;
  }
  return { ...calendar, ...(builtIn ? { builtIn: true as const } : {}), openNow, nextOpening: opening?.toISOString() ?? null, nextClosing: closing?.toISOString() ?? null };
}

const byId = <T extends { id: string }>(a: T, b: T) => a.id.localeCompare(b.id);

// ---------------------------------------------------------------- errors

function fail(code: ErrorCode, what: string, problems: readonly Problem[]): never {
  throw new DomainError(code, `${what}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { issues: problems });
}

/**
 * Fields that GET shows but a PUT may not set: the live state routing keeps (an agent sets its own presence, the
 * offers and accepts move its load) and what the API computes.
 */
const READ_ONLY: Readonly<Record<string, string>> = {
  load: 'live state kept by routing (offers and conversations held), not part of the profile; leave it out',
  presence: 'live state set by the agent (PUT /v1/agent/presence), not part of the profile; leave it out',
  presenceAt: 'live state kept by routing; leave it out',
  missedOffers: 'live state kept by routing; leave it out',
  lastAssignedAt: 'live state kept by routing; leave it out',
  freeSlots: 'computed by the API; leave it out',
  builtIn: 'computed by the API; leave it out',
  openNow: 'computed by the API; leave it out',
  nextOpening: 'computed by the API; leave it out',
  nextClosing: 'computed by the API; leave it out',
};

/** The body as an object (and its read-only fields refused), or the error of its kind. */
function objectBody(body: unknown, code: ErrorCode, what: string, root: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) fail(code, what, [{ path: root, message: 'expected a JSON object' }]);
  const record = body as Record<string, unknown>;
  const readOnly = Object.keys(record).filter((key) => READ_ONLY[key] !== undefined);
  if (readOnly.length > 0) fail(code, what, readOnly.map((key) => ({ path: key, message: READ_ONLY[key]! })));
  return record;
}

/** The path names the thing: a body's `id`, when given, must be the same. */
function idProblems(body: Record<string, unknown>, pathId: string, kind: string): Problem[] {
  return body.id !== undefined && body.id !== pathId ? [{ path: 'id', message: `${JSON.stringify(body.id)} is not the ${kind} in the path (${pathId}); leave it out or make them equal` }] : [];
}

function parseShape<T extends z.ZodMiniType>(schema: T, body: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(body);
  if (!result.success) fail('REQUEST.VALIDATION_FAILED', what, describeIssues(result.error.issues, '(body)'));
  return result.data;
}

// ---------------------------------------------------------------- schemas

const ID_PATTERN = /^[A-Za-z0-9._:@-]+$/;
/** Ids never contain '#': the agents table keeps groups, calendars and policies under "group#…", "calendar#…", "sla#…". */
const idSchema = z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(128, 'must be at most 128 characters'), z.regex(ID_PATTERN, 'may contain only letters, digits and . _ : @ -'));
const label = (max: number) => z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(max, `must be at most ${max} characters`));
const whole = (min: number, max?: number) =>
  z.number().check(z.int('must be a whole number'), z.minimum(min, `must be at least ${min}`), ...(max === undefined ? [] : [z.maximum(max, `must be at most ${max}`)]));

const agentSchema = z.strictObject({
  id: z.optional(z.string()),
  name: label(200),
  email: z.optional(z.email('must be an email address')),
  skills: z.array(label(64)).check(z.maxLength(100, 'at most 100 skills')),
  skillLevels: z.optional(z.record(z.string(), z.enum(['junior', 'mid', 'expert'], 'must be "junior", "mid" or "expert"'))),
  groups: z.array(idSchema).check(z.maxLength(50, 'at most 50 groups')),
  languages: z.array(label(35)).check(z.maxLength(20, 'at most 20 languages')),
  capacity: whole(AGENT_CAPACITY.min, AGENT_CAPACITY.max),
});

const groupSchema = z.strictObject({
  id: z.optional(z.string()),
  name: label(200),
  calendarId: z.optional(idSchema),
  overflowGroupId: z.optional(idSchema),
  maxQueue: z.optional(whole(0)),
  maxWaitSeconds: z.optional(whole(GROUP_MAX_WAIT_SECONDS.min, GROUP_MAX_WAIT_SECONDS.max)),
  outsourced: z.optional(z.boolean()),
  slaPolicyId: z.optional(idSchema),
});

function checkPathId(id: string, kind: string, code: ErrorCode): void {
  const result = idSchema.safeParse(id);
  if (!result.success) fail(code, `invalid ${kind} id`, describeIssues(result.error.issues, `${kind}Id`).map((p) => ({ ...p, path: `${kind}Id` })));
}

const unique = (values: readonly string[]) => [...new Set(values)];

// ---------------------------------------------------------------- use cases

export function makeRoutingAdmin(deps: RoutingAdminDeps) {
  const { routing } = deps;

  const groupExists = async (id: string) => id === DEFAULT_GROUP_ID || (await routing.getGroup(id)) !== undefined;
  const calendarExists = async (id: string) => id === ALWAYS_OPEN.id || (await routing.getCalendar(id)) !== undefined;
  const policyExists = async (id: string) => id === DEFAULT_SLA_POLICY.id || (await routing.getSlaPolicy(id)) !== undefined;

  /** A stored calendar for a view; one stored by hand that no longer parses is shown as stored, with its problem. */
  const storedCalendarView = (raw: unknown, now: Date): CalendarView | (Record<string, unknown> & { problem: string }) => {
    try {
      return calendarView(parseCalendar(raw), now);
    } catch (error) {
      if (error instanceof DomainError) return { ...(raw as Record<string, unknown>), problem: error.message };
      throw error;
    }
  };

  return {
    // ---- agents

    async listAgents(): Promise<AgentView[]> {
      return (await routing.listAgents()).map(agentView).sort(byId);
    },

    async getAgent(agentId: string): Promise<AgentView> {
      const agent = await routing.getAgent(agentId);
      if (!agent) throw new DomainError('AGENT.UNKNOWN', `agent ${agentId} does not exist`, { agentId });
      return agentView(agent);
    },

    /**
     * Creates the agent or replaces its profile (name, email, skills and levels, groups, languages, capacity). The
     * live state stays as routing left it: presence, load and the offers in flight are not touched.
     *
     * Lowering the capacity below the agent's current load is allowed: nothing is taken away from the agent, who
     * simply gets no new offer (claiming a seat needs load < capacity) until the load drops below the new capacity.
     */
    async putAgent(agentId: string, body: unknown): Promise<{ agent: AgentView; created: boolean }> {
      const what = 'invalid agent';
      checkPathId(agentId, 'agent', 'REQUEST.VALIDATION_FAILED');
      const record = objectBody(body, 'REQUEST.VALIDATION_FAILED', what, '(body)');
      const input = parseShape(agentSchema, record, what);
      const skills = unique(input.skills);
      const groups = unique(input.groups);
      const problems = idProblems(record, agentId, 'agent');
      for (const skill of Object.keys(input.skillLevels ?? {})) {
        if (!skills.includes(skill)) problems.push({ path: `skillLevels.${skill}`, message: `${JSON.stringify(skill)} is not one of the agent's skills (${skills.join(', ') || 'none'})` });
      }
      const known = await Promise.all(groups.map(groupExists));
      groups.forEach((group, i) => {
        if (!known[i]) problems.push({ path: `groups.${i}`, message: `group ${JSON.stringify(group)} does not exist (create it with PUT /v1/admin/groups/${group}, or use "default")` });
      });
      if (problems.length > 0) fail('REQUEST.VALIDATION_FAILED', what, problems);

      const profile: AgentProfile = {
        id: agentId,
        name: input.name,
        ...(input.email !== undefined ? { email: input.email } : {}),
        skills,
        ...(input.skillLevels !== undefined ? { skillLevels: input.skillLevels } : {}),
        groups,
        languages: unique(input.languages),
        capacity: input.capacity,
      };
      // The store's write is conditional on what was read (absent / present): a concurrent create is seen, not overwritten.
      for (let attempt = 0; attempt < 3; attempt++) {
        const existed = (await routing.getAgent(agentId)) !== undefined;
        const saved = await routing.saveAgentProfile(profile, existed ? 'existing' : 'new');
        if (saved) return { agent: agentView(saved), created: !existed };
      }
      throw new Error(`agent ${agentId}: the profile could not be saved (the agent kept appearing and disappearing)`);
    },

    // ---- groups

    async listGroups(): Promise<GroupView[]> {
      const groups: GroupView[] = await routing.listGroups();
      const all = groups.some((g) => g.id === DEFAULT_GROUP_ID) ? groups : [BUILT_IN_DEFAULT_GROUP, ...groups];
      return [...all].sort(byId);
    },

    async getGroup(groupId: string): Promise<GroupView> {
      const group = await routing.getGroup(groupId);
      if (group) return group;
      if (groupId === DEFAULT_GROUP_ID) return BUILT_IN_DEFAULT_GROUP;
      throw new DomainError('GROUP.NOT_FOUND', `group ${groupId} does not exist`, { groupId });
    },

    /** Creates or replaces a group (a group has no live state: the whole item is written). */
    async putGroup(groupId: string, body: unknown): Promise<{ group: RoutingGroup; created: boolean }> {
      const what = 'invalid group';
      checkPathId(groupId, 'group', 'REQUEST.VALIDATION_FAILED');
      const record = objectBody(body, 'REQUEST.VALIDATION_FAILED', what, '(body)');
      const input = parseShape(groupSchema, record, what);
      const problems = idProblems(record, groupId, 'group');
      const [calendarOk, overflowOk, policyOk] = await Promise.all([
        input.calendarId === undefined || calendarExists(input.calendarId),
        input.overflowGroupId === undefined || input.overflowGroupId === groupId || groupExists(input.overflowGroupId),
        input.slaPolicyId === undefined || policyExists(input.slaPolicyId),
      ]);
      if (!calendarOk) problems.push({ path: 'calendarId', message: `calendar ${JSON.stringify(input.calendarId)} does not exist (create it with PUT /v1/admin/calendars/${input.calendarId}, or leave calendarId out: always open)` });
      if (input.overflowGroupId === groupId) problems.push({ path: 'overflowGroupId', message: 'a group cannot overflow into itself' });
      else if (!overflowOk) problems.push({ path: 'overflowGroupId', message: `group ${JSON.stringify(input.overflowGroupId)} does not exist` });
      if (!policyOk) problems.push({ path: 'slaPolicyId', message: `SLA policy ${JSON.stringify(input.slaPolicyId)} does not exist (create it with PUT /v1/admin/sla-policies/${input.slaPolicyId}, or use "default")` });
      if (problems.length > 0) fail('REQUEST.VALIDATION_FAILED', what, problems);

      const group: RoutingGroup = {
        id: groupId,
        name: input.name,
        ...(input.calendarId !== undefined ? { calendarId: input.calendarId } : {}),
        ...(input.overflowGroupId !== undefined ? { overflowGroupId: input.overflowGroupId } : {}),
        ...(input.maxQueue !== undefined ? { maxQueue: input.maxQueue } : {}),
        ...(input.maxWaitSeconds !== undefined ? { maxWaitSeconds: input.maxWaitSeconds } : {}),
        ...(input.outsourced !== undefined ? { outsourced: input.outsourced } : {}),
        ...(input.slaPolicyId !== undefined ? { slaPolicyId: input.slaPolicyId } : {}),
      };
      const created = (await routing.getGroup(groupId)) === undefined;
      await routing.putGroup(group);
      return { group, created };
    },

    // ---- business calendars

    async listCalendars(): Promise<unknown[]> {
      const now = deps.clock.now();
      const stored = (await routing.listCalendars()).map((raw) => storedCalendarView(raw, now));
      const all = stored.some((c) => c.id === ALWAYS_OPEN.id) ? stored : [calendarView(ALWAYS_OPEN, now, true), ...stored];
      return all.sort((a, b) => String(a.id).localeCompare(String(b.id)));
    },

    async getCalendar(calendarId: string): Promise<unknown> {
      const now = deps.clock.now();
      if (calendarId === ALWAYS_OPEN.id) return calendarView(ALWAYS_OPEN, now, true);
      const raw = await routing.getCalendar(calendarId);
      if (!raw) throw new DomainError('CALENDAR.NOT_FOUND', `calendar ${calendarId} does not exist`, { calendarId });
      return storedCalendarView(raw, now);
    },

    /**
     * Creates or replaces a calendar, validated whole by the domain parser (CALENDAR.INVALID names every bad field);
     * one that would never open in the coming year is refused (CALENDAR.NEVER_OPEN): its groups would never take a
     * conversation and SLA clocks on it could never come due.
     */
    async putCalendar(calendarId: string, body: unknown): Promise<{ calendar: CalendarView; created: boolean }> {
      const what = 'invalid business calendar';
      checkPathId(calendarId, 'calendar', 'CALENDAR.INVALID');
      if (calendarId === ALWAYS_OPEN.id) fail('CALENDAR.INVALID', what, [{ path: 'calendarId', message: `"${ALWAYS_OPEN.id}" is the built-in 24x7 calendar and cannot be replaced; use another id` }]);
      const record = objectBody(body, 'CALENDAR.INVALID', what, '(calendar)');
      const problems = idProblems(record, calendarId, 'calendar');
      if (problems.length > 0) fail('CALENDAR.INVALID', what, problems);
      const calendar = parseCalendar({ ...record, id: calendarId });
      const now = deps.clock.now();
      if (!nextOpening(calendar, now)) {
        throw new DomainError('CALENDAR.NEVER_OPEN', `calendar ${calendarId} has no open time in the coming 366 days: give it weekly hours or special days`, { calendarId });
      }
      const created = (await routing.getCalendar(calendarId)) === undefined;
      await routing.putCalendar(calendarId, calendar);
      return { calendar: calendarView(calendar, now), created };
    },

    // ---- SLA policies

    /** The stored policies, and the built-in "default" unless one is stored under that id. */
    async listSlaPolicies(): Promise<unknown[]> {
      const stored = (await routing.listSlaPolicies()) as { id?: unknown }[];
      const all = stored.some((p) => p.id === DEFAULT_SLA_POLICY.id) ? stored : [builtInPolicy(), ...stored];
      return all.sort((a, b) => String(a.id).localeCompare(String(b.id)));
    },

    async getSlaPolicy(policyId: string): Promise<unknown> {
      const raw = await routing.getSlaPolicy(policyId);
      if (raw) return raw;
      if (policyId === DEFAULT_SLA_POLICY.id) return builtInPolicy();
      throw new DomainError('SLA.NOT_FOUND', `SLA policy ${policyId} does not exist`, { policyId });
    },

    /** Creates or replaces a policy ("default" replaces the built-in one), validated whole by the domain parser. */
    async putSlaPolicy(policyId: string, body: unknown): Promise<{ policy: SlaPolicy; created: boolean }> {
      const what = 'invalid SLA policy';
      checkPathId(policyId, 'policy', 'SLA.INVALID');
      const record = objectBody(body, 'SLA.INVALID', what, '(policy)');
      const idProblem = idProblems(record, policyId, 'policy');
      if (idProblem.length > 0) fail('SLA.INVALID', what, idProblem);
      const policy = parseSlaPolicy({ ...record, id: policyId });
      const problems: Problem[] = [];
      const reassignTo = policy.onBreach?.reassignToGroupId;
      const [calendarOk, groupOk] = await Promise.all([calendarExists(policy.calendarId), reassignTo === undefined || groupExists(reassignTo)]);
      if (!calendarOk) problems.push({ path: 'calendarId', message: `calendar ${JSON.stringify(policy.calendarId)} does not exist (use "${ALWAYS_OPEN.id}" or a calendar from /v1/admin/calendars)` });
      if (!groupOk) problems.push({ path: 'onBreach.reassignToGroupId', message: `group ${JSON.stringify(reassignTo)} does not exist` });
      if (problems.length > 0) fail('SLA.INVALID', what, problems);
      const created = (await routing.getSlaPolicy(policyId)) === undefined;
      await routing.putSlaPolicy(policyId, policy);
      return { policy, created };
    },
  };
}

export type RoutingAdmin = ReturnType<typeof makeRoutingAdmin>;

// ---------------------------------------------------------------- channel settings

/**
 * Settings per channel, beside groups and calendars. The web chat has its own richer settings (texts, colour, side);
 * every messaging channel has { enabled, routingGroupId }. A write names the version it read (`expectedVersion`, 0
 * before the first write) and is refused with CHANNEL.VERSION_CONFLICT when another write came first.
 */
export const MESSAGING_CHANNELS = ['wechat', 'wecom', 'email', 'whatsapp', 'telegram', 'line', 'sms', 'api'] as const satisfies readonly Channel[];
export type MessagingChannel = (typeof MESSAGING_CHANNELS)[number];
export const CONFIGURABLE_CHANNELS = ['webchat', ...MESSAGING_CHANNELS] as const satisfies readonly Channel[];
/** Channels listed as not configurable yet: none any more (kept for callers of the earlier release). */
export const LATER_CHANNELS = [] as const satisfies readonly Channel[];

export const isMessagingChannel = (channelId: string): channelId is MessagingChannel => (MESSAGING_CHANNELS as readonly string[]).includes(channelId);

/** A messaging channel's settings: on/off, and the routing group its new conversations go to. */
export interface MessagingChannelSettings {
  readonly enabled: boolean;
  /** "default" or a stored group. */
  readonly routingGroupId: string;
  /** 0: never stored (the defaults). */
  readonly version: number;
  readonly updatedAt?: string;
  readonly updatedBy?: string;
}

export const DEFAULT_MESSAGING_CHANNEL_SETTINGS: MessagingChannelSettings = { enabled: true, routingGroupId: DEFAULT_GROUP_ID, version: 0 };

export interface BilingualText {
  readonly zh: string;
  readonly en: string;
}

export interface WebchatSettings {
  readonly enabled: boolean;
  readonly title: BilingualText;
  readonly greeting: BilingualText;
  /** #rrggbb */
  readonly accentColor: string;
  readonly position: 'right' | 'left';
  /** The routing group the web chat's conversations are meant for ("default" or a stored group). */
  readonly routingGroupId: string;
  /** Shown by the widget instead of the chat while the channel is disabled. */
  readonly offlineMessage?: BilingualText;
  /** 0: never stored (the defaults). */
  readonly version: number;
  readonly updatedAt?: string;
  readonly updatedBy?: string;
}

/** What the widget reads (GET on the public web chat settings route): no version, group or author. */
export type PublicWebchatSettings = Pick<WebchatSettings, 'enabled' | 'title' | 'greeting' | 'accentColor' | 'position' | 'offlineMessage'>;

export const DEFAULT_WEBCHAT_SETTINGS: WebchatSettings = {
  enabled: true,
  title: { zh: '在线客服', en: 'Customer service' },
  greeting: { zh: '您好！我是智能客服，请问有什么可以帮您？', en: 'Hi! I am the virtual assistant. How can I help you?' },
  accentColor: '#1f6feb',
  position: 'right',
  routingGroupId: DEFAULT_GROUP_ID,
  version: 0,
};

/** A stale write of channel settings: 409 CHANNEL.VERSION_CONFLICT with the settings as they are now. */
export function channelVersionConflict(current: WebchatSettings | MessagingChannelSettings, expectedVersion: number, channelId = 'webchat'): DomainError {
  const which = channelId === 'webchat' ? 'the web chat settings are' : `the ${channelId} channel's settings are`;
  return new DomainError('CHANNEL.VERSION_CONFLICT', `${which} at version ${current.version}, not ${expectedVersion}; reload them and apply the change again`, { current });
}

const bilingual = (max: number) => z.strictObject({ zh: label(max), en: label(max) });
const webchatSchema = z.strictObject({
  expectedVersion: whole(0),
  enabled: z.boolean('must be true or false'),
  title: bilingual(40),
  greeting: bilingual(500),
  accentColor: z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour written #rrggbb')),
  position: z.enum(['right', 'left'], 'must be "right" or "left"'),
  routingGroupId: idSchema,
  offlineMessage: z.optional(bilingual(500)),
});
const messagingSchema = z.strictObject({
  expectedVersion: whole(0),
  enabled: z.boolean('must be true or false'),
  routingGroupId: idSchema,
});

/** Stored settings as a view: what is stored over the defaults (an item written by hand may lack fields). */
function webchatView(raw: Record<string, unknown> & { version: number }): WebchatSettings {
  const pick = <K extends keyof WebchatSettings>(key: K): Partial<WebchatSettings> => (raw[key] !== undefined ? { [key]: raw[key] as WebchatSettings[K] } : {});
  return {
    ...DEFAULT_WEBCHAT_SETTINGS,
    ...pick('enabled'),
    ...pick('title'),
    ...pick('greeting'),
    ...pick('accentColor'),
    ...pick('position'),
    ...pick('routingGroupId'),
    ...pick('offlineMessage'),
    ...pick('updatedAt'),
    ...pick('updatedBy'),
    version: Number(raw.version) || 0,
  };
}

/** Stored settings of a messaging channel over the defaults (an item written by hand may lack fields or be odd). */
export function messagingChannelView(raw: (Record<string, unknown> & { version: number }) | undefined): MessagingChannelSettings {
  if (!raw) return DEFAULT_MESSAGING_CHANNEL_SETTINGS;
  return {
    enabled: typeof raw.enabled === 'boolean' ? raw.enabled : DEFAULT_MESSAGING_CHANNEL_SETTINGS.enabled,
    routingGroupId: typeof raw.routingGroupId === 'string' && raw.routingGroupId !== '' ? raw.routingGroupId : DEFAULT_GROUP_ID,
    version: Number(raw.version) || 0,
    ...(typeof raw.updatedAt === 'string' ? { updatedAt: raw.updatedAt } : {}),
    ...(typeof raw.updatedBy === 'string' ? { updatedBy: raw.updatedBy } : {}),
  };
}

export function publicWebchatSettings(settings: WebchatSettings): PublicWebchatSettings {
  const { enabled, title, greeting, accentColor, position, offlineMessage } = settings;
  return { enabled, title, greeting, accentColor, position, ...(offlineMessage ? { offlineMessage } : {}) };
}

export interface ChannelSettingsDeps {
  readonly routing: Pick<RoutingStore, 'getGroup'>;
  readonly channels: ChannelSettingsStore;
  readonly clock: Clock;
}

export function makeChannelSettings(deps: ChannelSettingsDeps) {
  const webchat = async (): Promise<WebchatSettings> => {
    const raw = await deps.channels.getChannelSettings('webchat');
    return raw ? webchatView(raw) : DEFAULT_WEBCHAT_SETTINGS;
  };
  const messaging = async (channelId: MessagingChannel): Promise<MessagingChannelSettings> => messagingChannelView(await deps.channels.getChannelSettings(channelId));
  const what = 'invalid channel settings';
  const checkGroup = async (routingGroupId: string) => {
    const groupOk = routingGroupId === DEFAULT_GROUP_ID || (await deps.routing.getGroup(routingGroupId)) !== undefined;
    if (!groupOk) fail('REQUEST.VALIDATION_FAILED', what, [{ path: 'routingGroupId', message: `group ${JSON.stringify(routingGroupId)} does not exist (create it first, or use "default")` }]);
  };
  return {
    webchat,
    messaging,

    async listChannels() {
      const others = await Promise.all(MESSAGING_CHANNELS.map(async (id) => ({ id, configurable: true as const, settings: await messaging(id) })));
      return { channels: [{ id: 'webchat' as const, configurable: true as const, settings: await webchat() }, ...others] };
    },

    /**
     * Replaces a channel's settings as a whole, checked (shape, the routing group; the web chat's colour and texts)
     * before anything is stored.
     */
    async putChannel(channelId: string, body: unknown, actor: string): Promise<WebchatSettings | MessagingChannelSettings> {
      if (!(CONFIGURABLE_CHANNELS as readonly string[]).includes(channelId)) {
        fail('REQUEST.VALIDATION_FAILED', what, [{ path: 'channelId', message: `${JSON.stringify(channelId)} is not a channel (one of ${CONFIGURABLE_CHANNELS.map((c) => `"${c}"`).join(', ')})` }]);
      }
      const record = objectBody(body, 'REQUEST.VALIDATION_FAILED', what, '(body)');
      const stamp = () => ({ updatedAt: deps.clock.now().toISOString(), updatedBy: actor });
      if (isMessagingChannel(channelId)) {
        const input = parseShape(messagingSchema, record, what);
        await checkGroup(input.routingGroupId);
        const settings: MessagingChannelSettings = { enabled: input.enabled, routingGroupId: input.routingGroupId, version: input.expectedVersion + 1, ...stamp() };
        if (!(await deps.channels.putChannelSettings(channelId, settings, input.expectedVersion))) throw channelVersionConflict(await messaging(channelId), input.expectedVersion, channelId);
        return settings;
      }
      const input = parseShape(webchatSchema, record, what);
      await checkGroup(input.routingGroupId);
      const { expectedVersion, offlineMessage, ...fields } = input;
      const settings: WebchatSettings = {
        ...fields,
        ...(offlineMessage ? { offlineMessage } : {}),
        version: expectedVersion + 1,
        ...stamp(),
      };
      if (!(await deps.channels.putChannelSettings(channelId, settings, expectedVersion))) throw channelVersionConflict(await webchat(), expectedVersion);
      return settings;
    },
  };
}

export interface ChannelSettingsReaderDeps {
  readonly channels: Pick<ChannelSettingsStore, 'getChannelSettings'>;
  /** How long a read is kept (ms); 0: every call reads. */
  readonly ttlMs: number;
  /** Milliseconds, for the cache's expiry (Date.now by default). */
  readonly now?: () => number;
}

/**
 * A messaging channel's settings for intake, kept in the process for `ttlMs` (one read per channel on a miss), so
 * that intake does not pay a read per message; a change takes effect within the TTL. A failed read is not kept.
 */
export function makeChannelSettingsReader(deps: ChannelSettingsReaderDeps) {
  const now = deps.now ?? Date.now;
  const cache = new Map<MessagingChannel, { at: number; settings: Promise<MessagingChannelSettings> }>();
  return (channelId: MessagingChannel): Promise<MessagingChannelSettings> => {
    const hit = cache.get(channelId);
    const at = now();
    if (hit && at - hit.at < deps.ttlMs) return hit.settings;
    const settings = deps.channels.getChannelSettings(channelId).then(messagingChannelView);
    if (deps.ttlMs > 0) {
      cache.set(channelId, { at, settings });
      settings.catch(() => {
        if (cache.get(channelId)?.settings === settings) cache.delete(channelId);
      });
    }
    return settings;
  };
}

export type ChannelSettingsReader = ReturnType<typeof makeChannelSettingsReader>;
