/**
 * Routing decisions, pure: which agents may take a conversation, which of them gets the offer, how the queue is
 * ordered, what a customer is told about their wait. The atomic part (claiming an agent's capacity and the
 * conversation together) lives in the store; this module only decides.
 */
import type { Channel } from '../conversation/conversation.ts';

export type Presence = 'online' | 'away' | 'offline';
export type SkillLevel = 'junior' | 'mid' | 'expert';
export const SKILL_LEVELS: readonly SkillLevel[] = ['junior', 'mid', 'expert'];

/** An agent as the router sees it: the directory entry plus its live load. */
export interface RoutableAgent {
  readonly id: string;
  readonly name: string;
  readonly skills: readonly string[];
  /** Level per skill; a skill without a level counts as mid. */
  readonly skillLevels?: Readonly<Record<string, SkillLevel>>;
  readonly groups: readonly string[];
  readonly languages: readonly string[];
  /** Maximum concurrent conversations (offered ones count). */
  readonly capacity: number;
  readonly presence: Presence;
  /** Conversations the agent holds or has been offered right now. */
  readonly load?: number;
  /** When the agent last received a conversation (longest idle goes first). */
  readonly lastAssignedAt?: string;
  /** Offers the agent let expire in a row (reset on accept); enough of them set the agent away. */
  readonly missedOffers?: number;
  /** The agent's last console activity (kept to the minute); silence for long enough sets the agent away. */
  readonly lastActiveAt?: string;
}

/** Online, but nothing from the agent's console for longer than `idleMinutes` (0: never): to be set away. */
export function isInactive(agent: Pick<RoutableAgent, 'presence' | 'lastActiveAt'>, now: Date, idleMinutes: number): boolean {
  return idleMinutes > 0 && agent.presence === 'online' && agent.lastActiveAt !== undefined && now.getTime() - Date.parse(agent.lastActiveAt) > idleMinutes * 60_000;
}

/** A routing group: a team with its calendar, and where its conversations go when it cannot take them. */
export interface RoutingGroup {
  readonly id: string;
  readonly name: string;
  /** Business calendar id (absent: always open). */
  readonly calendarId?: string;
  /** Where the queue overflows (e.g. an outsourced team), after the maximum wait or past the queue threshold. */
  readonly overflowGroupId?: string;
  /** Queue length at which new conversations overflow at once (absent: no threshold). */
  readonly maxQueue?: number;
  /** Longest wait before overflow or an offline message. */
  readonly maxWaitSeconds?: number;
  /** Whether the group is an outsourced overflow team (shown to supervisors). */
  readonly outsourced?: boolean;
  /** The SLA policy of the group's tickets (absent: the policy "default"). */
  readonly slaPolicyId?: string;
}

export const DEFAULT_GROUP_ID = 'default';
export const DEFAULT_MAX_WAIT_SECONDS = 600;

/** What a conversation needs from an agent. */
export interface RoutingNeed {
  readonly groupId: string;
  /** Skill needed (from the bot's intent / category), when the group has agents with it. */
  readonly skill?: string;
  readonly language?: string;
  /** Agents that declined or let this conversation's offer expire during this handoff. */
  readonly exclude?: readonly string[];
}

function speaks(agent: RoutableAgent, language: string | undefined): boolean {
  if (!language || agent.languages.length === 0) return true;
  const base = language.toLowerCase().split('-')[0]!;
  return agent.languages.some((l) => l.toLowerCase().split('-')[0] === base);
}

export function freeSlots(agent: RoutableAgent): number {
  return agent.presence === 'online' ? Math.max(0, agent.capacity - (agent.load ?? 0)) : 0;
}

/**
 * Agents who may take the conversation now: online, below capacity, in the group, speaking the language, not
 * excluded, and with the needed skill. A skill nobody in the group has is no requirement (the conversation must not
 * wait for an agent who does not exist); neither is a language nobody in the group speaks.
 */
export function eligibleAgents(agents: readonly RoutableAgent[], need: RoutingNeed): RoutableAgent[] {
  const members = agents.filter((a) => a.groups.includes(need.groupId));
  const skill = need.skill && members.some((a) => a.skills.includes(need.skill!)) ? need.skill : undefined;
  const language = need.language && members.some((a) => speaks(a, need.language)) ? need.language : undefined;
  const excluded = new Set(need.exclude ?? []);
  return members.filter((a) => freeSlots(a) > 0 && !excluded.has(a.id) && (!skill || a.skills.includes(skill)) && speaks(a, language));
}

const levelRank = (agent: RoutableAgent, skill: string | undefined) => (skill && agent.skills.includes(skill) ? SKILL_LEVELS.indexOf(agent.skillLevels?.[skill] ?? 'mid') : 0);

/**
 * Who gets the offer first: the least loaded (share of capacity), then the longest idle, then the more expert in the
 * needed skill, then by id (deterministic).
 */
export function rankAgents(eligible: readonly RoutableAgent[], need: Pick<RoutingNeed, 'skill'>): RoutableAgent[] {
  return [...eligible].sort(
    (a, b) =>
      (a.load ?? 0) / a.capacity - (b.load ?? 0) / b.capacity ||
      (a.lastAssignedAt ?? '').localeCompare(b.lastAssignedAt ?? '') ||
      levelRank(b, need.skill) - levelRank(a, need.skill) ||
      a.id.localeCompare(b.id),
  );
}

/** Priority 0..9 of a conversation entering the queue: the policy's (emotion) plus VIP tier and channel. */
export function queuePriority(input: { base: number; tier?: string; channel?: Channel }): number {
  let priority = input.base;
  if (input.tier === 'vip') priority += 2;
  // Channels where the customer is waiting live on the other end are served ahead of asynchronous ones.
  if (input.channel === 'email') priority -= 1;
  return Math.max(0, Math.min(9, Math.round(priority)));
}

/** One priority point for every `agingSeconds` waited, so that low priorities are never starved. */
export const DEFAULT_AGING_SECONDS = 120;

export function effectivePriority(priority: number, queuedAt: string | undefined, now: Date, agingSeconds = DEFAULT_AGING_SECONDS): number {
  const waited = queuedAt ? Math.max(0, (now.getTime() - Date.parse(queuedAt)) / 1000) : 0;
  return priority + Math.floor(waited / agingSeconds);
}

/** The queue in serving order: effective priority (with aging) first, then the longest waiting. */
export function serveOrder<T extends { priority?: number; queuedAt?: string; id: string }>(queue: readonly T[], now: Date, agingSeconds = DEFAULT_AGING_SECONDS): T[] {
  return [...queue].sort(
    (a, b) =>
      effectivePriority(b.priority ?? 5, b.queuedAt, now, agingSeconds) - effectivePriority(a.priority ?? 5, a.queuedAt, now, agingSeconds) ||
      (a.queuedAt ?? '').localeCompare(b.queuedAt ?? '') ||
      a.id.localeCompare(b.id),
  );
}

/** Default average handling time before the group has handled anything. */
export const DEFAULT_HANDLING_SECONDS = 300;

/**
 * Estimated wait of the conversation at `position` (1-based): the conversations ahead of it are served in rounds,
 * one round per average handling time, as many at a time as the online agents have seats.
 */
export function estimatedWaitSeconds(position: number, onlineSeats: number, averageHandlingSeconds: number): number {
  const seats = Math.max(1, onlineSeats);
  return Math.round(Math.ceil(position / seats) * averageHandlingSeconds);
}

/** Whether a new position / estimate is worth telling the customer again. */
export function materialChange(told: { position?: number; etaSeconds?: number }, now: { position: number; etaSeconds: number }): boolean {
  if (told.position === undefined) return true;
  if (now.position === told.position) return false;
  if (now.position > told.position) return true;
  const moved = told.position - now.position;
  if (now.position <= 3) return true;
  if (moved / told.position >= 0.25) return true;
  return Math.abs((told.etaSeconds ?? 0) - now.etaSeconds) >= 120;
}

export function formatWait(seconds: number, language: 'zh' | 'en'): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  if (language === 'zh') return minutes >= 60 ? `约 ${Math.round(minutes / 6) / 10} 小时` : `约 ${minutes} 分钟`;
  return minutes >= 60 ? `about ${Math.round(minutes / 6) / 10} h` : `about ${minutes} min`;
}
