/**
 * Port: the routing state — agents' presence and load, groups, the per-group queues — and the atomic moves that
 * change who holds a conversation. Each move changes the conversation and the agents' load in one transaction, with
 * conditions, so that no agent ever exceeds capacity and no conversation is ever held twice, whatever runs in parallel.
 */
import type { Conversation } from '../domain/conversation/conversation.ts';
import type { Presence, RoutableAgent, RoutingGroup } from '../domain/routing/routing.ts';
import type { Fields } from './conversation.store.ts';

/** Why a move did not happen: the agent had no free seat (or is not online), or the conversation moved on. */
export type MoveRefusal = 'agent-unavailable' | 'conversation-unavailable';

export interface RoutingStore {
  /** Agents with their live load (strongly consistent). */
  listAgents(): Promise<RoutableAgent[]>;
  getAgent(agentId: string): Promise<RoutableAgent | undefined>;
  putAgent(agent: RoutableAgent): Promise<void>;
  /**
   * Sets the presence (going online also counts as activity). With `onlyIfActiveBefore` (set away for inactivity)
   * only while the agent is still online and did nothing since that time; undefined when nothing changed.
   */
  setPresence(agentId: string, presence: Presence, at: string, options?: { onlyIfActiveBefore?: string }): Promise<RoutableAgent | undefined>;
  /** The agent used the console at `at`: recorded unless it was recorded less than `everyMs` before. */
  touch(agentId: string, at: string, everyMs: number): Promise<void>;
  getGroup(groupId: string): Promise<RoutingGroup | undefined>;
  listGroups(): Promise<RoutingGroup[]>;
  putGroup(group: RoutingGroup): Promise<void>;

  /** Offer: the conversation (queued, not offered) is offered to the agent, whose load grows by one (online, below capacity). */
  claimOffer(conversationId: string, agentId: string, at: string, set?: Fields): Promise<Conversation | MoveRefusal>;
  /** An offer ends unaccepted: the offer is removed (only if still this agent's) and the agent's seat freed. */
  releaseOffer(conversationId: string, agentId: string, outcome: 'declined' | 'expired', at: string): Promise<Conversation | undefined>;
  /**
   * Accept: queued → agent. An offer to this agent already holds the seat; without an offer (picked from the queue)
   * the seat is claimed in the same transaction; an offer standing for another agent is withdrawn, freeing that seat.
   */
  accept(conversationId: string, agentId: string, at: string): Promise<Conversation | MoveRefusal>;
  /** The agent lets go (resolve, or back to the queue): the conversation moves and the agent's seat is freed. */
  release(conversationId: string, agentId: string, move: { to: 'resolved' | 'queued'; set: Fields }): Promise<Conversation | undefined>;
  /** From one agent to another: seats move with the conversation. */
  transfer(conversationId: string, fromAgentId: string, toAgentId: string, at: string): Promise<Conversation | MoveRefusal>;

  /** The escalation waiting for this agent's accept parks its task token (only while the offer to the agent stands). */
  parkOfferToken(conversationId: string, agentId: string, token: string): Promise<Conversation | undefined>;
  /** Puts a queued conversation into a group's queue with a priority (overflow, re-prioritising); fields set alongside. */
  setQueueEntry(conversationId: string, entry: { groupId: string; priority: number; queuedAt: string }, set?: Fields): Promise<Conversation | undefined>;
  /** Business calendars (raw, validated by the caller's domain parser). */
  getCalendar(calendarId: string): Promise<unknown>;
  putCalendar(calendarId: string, calendar: object): Promise<void>;
  listCalendars(): Promise<unknown[]>;
  /** SLA policies (raw, validated by the caller's domain parser). */
  getSlaPolicy(policyId: string): Promise<unknown>;
  putSlaPolicy(policyId: string, policy: object): Promise<void>;
  listSlaPolicies(): Promise<unknown[]>;

  /** The escalation waiting for a free seat parks its task token here (only while queued and not offered). */
  parkWaitToken(conversationId: string, token: string): Promise<Conversation | undefined>;
  /** Takes the parked token away (exactly one caller wins it); returns whether this caller did. */
  takeWaitToken(conversationId: string, token: string): Promise<boolean>;

  /** Handling times for the estimate of the wait (per group and day). */
  recordHandling(groupId: string, seconds: number, at: string): Promise<void>;
  averageHandlingSeconds(groupId: string, at: string): Promise<number | undefined>;

  /**
   * Writes an agent's profile (what an admin sets) and nothing else: the live fields — presence, load, offers in
   * flight, missed offers, last assignment — are never overwritten; a new agent starts with load 0, offline.
   * `expect` is what the caller saw: 'new' writes only if the agent is absent, 'existing' only if present. Returns the
   * agent after the write, or undefined when the expectation no longer held (a concurrent create).
   */
  saveAgentProfile(profile: AgentProfile, expect: 'new' | 'existing'): Promise<RoutableAgent | undefined>;
}

/** The part of an agent an admin sets; absent optional fields are removed from the stored agent. */
export interface AgentProfile {
  readonly id: string;
  readonly name: string;
  readonly email?: string;
  readonly skills: readonly string[];
  readonly skillLevels?: RoutableAgent['skillLevels'];
  readonly groups: readonly string[];
  readonly languages: readonly string[];
  readonly capacity: number;
}

/**
 * Per-channel settings (today only the web chat's), stored beside groups and calendars. `version` counts the writes:
 * a put names the version it read (0: none stored yet) and is refused when another write came first.
 */
export interface ChannelSettingsStore {
  /** The stored settings (raw, validated by the caller), undefined when none were ever stored. */
  getChannelSettings(channelId: string): Promise<(Record<string, unknown> & { version: number }) | undefined>;
  /** Stores `settings` (whose `version` is expectedVersion + 1) only if the stored version is expectedVersion; false when it is not. */
  putChannelSettings(channelId: string, settings: object & { version: number }, expectedVersion: number): Promise<boolean>;
}
