/** Ports: agents, customers, knowledge (and, re-exported, tickets), read or written by the use cases. */
import type { KnowledgeEntry } from '../domain/knowledge/knowledge-entry.ts';

export interface Agent {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly skills: readonly string[];
  readonly groups: readonly string[];
  readonly languages: readonly string[];
  readonly capacity: number;
  readonly presence: 'online' | 'away' | 'offline';
}

/** The customer tiers the domain knows (a VIP's conversations queue with a higher priority). */
export const CUSTOMER_TIERS = ['standard', 'vip'] as const;
export type CustomerTier = (typeof CUSTOMER_TIERS)[number];

/** One edit of a customer's profile: who, when, and each changed field's value before and after. */
export interface CustomerChange {
  readonly at: string;
  readonly by: string;
  readonly changes: Readonly<Record<string, { readonly from: unknown; readonly to: unknown }>>;
}

export interface Customer {
  readonly id: string;
  readonly name?: string;
  readonly tier: CustomerTier;
  readonly identities: readonly { channel: string; value: string }[];
  readonly createdAt: string;
  /** Labels agents put on the customer (trimmed, unique, at most 20). */
  readonly tags?: readonly string[];
  /** The agents' standing notes about the customer (never shown to the customer). */
  readonly notes?: string;
  readonly email?: string;
  readonly phone?: string;
  /** Bumped by every profile edit (absent: 0, never edited); edits are conditional on it. */
  readonly version?: number;
  readonly updatedAt?: string;
  readonly updatedBy?: string;
  /** The last 50 profile edits, newest first. */
  readonly audit?: readonly CustomerChange[];
}

export interface AgentDirectory {
  get(agentId: string): Promise<Agent | undefined>;
  list(): Promise<Agent[]>;
}

export interface CustomerDirectory {
  get(customerId: string): Promise<Customer | undefined>;
  put(customer: Customer): Promise<void>;
  /**
   * Replaces an existing customer only while its stored version is still `expectedVersion` (0: never edited).
   * Returns false when the customer is gone or someone else edited it meanwhile.
   */
  replace(customer: Customer, expectedVersion: number): Promise<boolean>;
}

export interface KnowledgeSource {
  /** Every entry (the engine itself filters out what may not be served). */
  list(): Promise<KnowledgeEntry[]>;
}

/** Tickets moved to ./tickets.ts; re-exported so that existing imports keep working. */
export type { Ticket, TicketStore } from './tickets.ts';
