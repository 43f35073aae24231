/** Ports: agents, customers, knowledge (and, re-exported, tickets), read or written by the use cases. */
import type { IdentityEvent, VerifiedContact } from '../domain/customers/identity.ts';
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
  /** Contacts a channel verified for this customer (each has a `vfy#` link pointing here). */
  readonly verified?: readonly VerifiedContact[];
  /** Set when this customer was merged into another: reads follow it to the surviving customer. */
  readonly mergedInto?: string;
  readonly mergedAt?: string;
  /** The customers merged into this one (their conversations keep their own customer id). */
  readonly mergedFrom?: readonly string[];
  /** The customer this one was split off. */
  readonly splitFrom?: string;
  /** Merges, splits and automatic attachments of identities, newest first (at most 100). */
  readonly identityLog?: readonly IdentityEvent[];
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
  /**
   * The identity links (see shared/domain/customers/identity.ts), where the store keeps them. Optional so that a
   * directory without them (an older fake) keeps the hash-derived customer per identity.
   */
  readonly links?: CustomerLinks;
}

/** One write of customers and links, all or nothing. */
export interface IdentityWrite {
  /** Each customer written whole: `'absent'` creates it (fails when it exists), a number replaces that version. */
  readonly customers: readonly { readonly customer: Customer; readonly expectedVersion: number | 'absent' }[];
  /** Link key → customer id; `ifAbsent` claims a key only while no link has it (else the write fails). */
  readonly links: readonly { readonly key: string; readonly customerId: string; readonly ifAbsent?: boolean }[];
}

/**
 * Identity links, in the customers table: `idn#<channel>#<value>` and `vfy#<email|phone>#<value>`, each naming the
 * customer it belongs to, so that intake finds a customer with one read.
 */
export interface CustomerLinks {
  /** The customer id of each key that has a link (strongly consistent); keys without a link are absent. */
  get(keys: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** The stored customer as it is (a merged one is not followed to its survivor, unlike CustomerDirectory.get). */
  getStored(customerId: string): Promise<Customer | undefined>;
  /** Writes all or nothing; false when a condition failed (a version moved on, a link was claimed meanwhile). */
  commit(write: IdentityWrite): Promise<boolean>;
  /**
   * Customers (merged ones left out) whose id, name, e-mail, phone, identity or verified contact contains `text`
   * (case-insensitively; empty: any), newest first, at most `limit`. A scan: for the console, never for intake.
   */
  search(text: string, limit: number): Promise<Customer[]>;
}

export interface KnowledgeSource {
  /** Every entry (the engine itself filters out what may not be served). */
  list(): Promise<KnowledgeEntry[]>;
}

/** Tickets moved to ./tickets.ts; re-exported so that existing imports keep working. */
export type { Ticket, TicketStore } from './tickets.ts';
