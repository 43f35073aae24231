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

export interface Customer {
  readonly id: string;
  readonly name?: string;
  readonly tier: 'standard' | 'vip';
  readonly identities: readonly { channel: string; value: string }[];
  readonly createdAt: string;
}

export interface AgentDirectory {
  get(agentId: string): Promise<Agent | undefined>;
  list(): Promise<Agent[]>;
}

export interface CustomerDirectory {
  get(customerId: string): Promise<Customer | undefined>;
  put(customer: Customer): Promise<void>;
}

export interface KnowledgeSource {
  /** Every entry (the engine itself filters out what may not be served). */
  list(): Promise<KnowledgeEntry[]>;
}

/** Tickets moved to ./tickets.ts; re-exported so that existing imports keep working. */
export type { Ticket, TicketStore } from './tickets.ts';
