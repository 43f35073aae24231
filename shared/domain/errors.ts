/**
 * Typed domain errors: a stable `code` that clients can branch on, a message for people, no HTTP knowledge.
 * The HTTP status for each code lives in one place: shared/observability/error-mapping.ts.
 */
export type ErrorCode =
  | 'REQUEST.MALFORMED_JSON'
  | 'REQUEST.VALIDATION_FAILED'
  | 'REQUEST.TOO_LARGE'
  | 'REQUEST.ROUTE_NOT_FOUND'
  | 'AUTH.UNAUTHENTICATED'
  | 'AUTH.FORBIDDEN'
  | 'CONVERSATION.NOT_FOUND'
  | 'CONVERSATION.NOT_QUEUED'
  | 'CONVERSATION.ALREADY_ASSIGNED'
  | 'CONVERSATION.NOT_ASSIGNED_TO_YOU'
  | 'CONVERSATION.RESOLVED'
  | 'CONVERSATION.BUSY'
  | 'CONVERSATION.ALREADY_RATED'
  | 'CONVERSATION.NOT_RATABLE'
  | 'AGENT.NOT_FOUND'
  | 'AGENT.UNKNOWN'
  | 'AGENT.AT_CAPACITY'
  | 'CONVERSATION.OFFERED_TO_ANOTHER'
  | 'CONVERSATION.NOT_OFFERED_TO_YOU'
  | 'GROUP.NOT_FOUND'
  | 'CALENDAR.INVALID'
  | 'CALENDAR.NEVER_OPEN'
  | 'SLA.INVALID'
  | 'KNOWLEDGE.INVALID'
  | 'KNOWLEDGE.NOT_FOUND'
  | 'KNOWLEDGE.ALREADY_EXISTS'
  | 'KNOWLEDGE.VERSION_CONFLICT'
  | 'UNANSWERED.NOT_FOUND'
  | 'FLOW.NOT_FOUND'
  | 'CHANNEL.VERSION_CONFLICT'
  | 'CHANNEL.DISABLED'
  | 'CUSTOMER.NOT_FOUND'
  | 'CUSTOMER.CONFLICT'
  | 'CUSTOMER.TIER_FORBIDDEN'
  | 'TICKET.INVALID'
  | 'TICKET.NOT_FOUND'
  | 'TICKET.CONFLICT'
  | 'TICKET.INVALID_TRANSITION'
  | 'TICKET.CLOSED'
  | 'TICKET.MERGE_REFUSED'
  | 'TICKET.NO_CHANNEL'
  | 'SLA.NOT_FOUND'
  | 'CALENDAR.NOT_FOUND'
  | 'ATTACHMENT.NOT_FOUND'
  | 'ATTACHMENT.TOO_LARGE';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
