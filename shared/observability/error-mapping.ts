/** The one place where domain error codes become HTTP statuses, and every error becomes `{ error: { code, message } }`. */
import { isDomainError, type ErrorCode } from '../domain/errors.ts';

const statusByCode: Record<ErrorCode, number> = {
  'ATTACHMENT.NOT_FOUND': 404,
  'ATTACHMENT.TOO_LARGE': 413,
  'REQUEST.MALFORMED_JSON': 400,
  'REQUEST.VALIDATION_FAILED': 400,
  'REQUEST.TOO_LARGE': 413,
  'REQUEST.ROUTE_NOT_FOUND': 404,
  'AUTH.UNAUTHENTICATED': 401,
  'AUTH.FORBIDDEN': 403,
  'CONVERSATION.NOT_FOUND': 404,
  'CONVERSATION.NOT_QUEUED': 409,
  'CONVERSATION.ALREADY_ASSIGNED': 409,
  'CONVERSATION.NOT_ASSIGNED_TO_YOU': 409,
  'CONVERSATION.RESOLVED': 409,
  'CONVERSATION.BUSY': 409,
  'CONVERSATION.ALREADY_RATED': 409,
  'CONVERSATION.NOT_RATABLE': 409,
  'AGENT.NOT_FOUND': 403,
  'AGENT.UNKNOWN': 404,
  'AGENT.AT_CAPACITY': 409,
  'CONVERSATION.OFFERED_TO_ANOTHER': 409,
  'CONVERSATION.NOT_OFFERED_TO_YOU': 409,
  'GROUP.NOT_FOUND': 404,
  'CALENDAR.INVALID': 400,
  'CALENDAR.NEVER_OPEN': 400,
  'SLA.INVALID': 400,
  'KNOWLEDGE.INVALID': 400,
  'KNOWLEDGE.NOT_FOUND': 404,
  'KNOWLEDGE.ALREADY_EXISTS': 409,
  'KNOWLEDGE.VERSION_CONFLICT': 409,
  'UNANSWERED.NOT_FOUND': 404,
  'FLOW.NOT_FOUND': 404,
  'TICKET.INVALID': 400,
  'TICKET.NOT_FOUND': 404,
  'TICKET.CONFLICT': 409,
  'TICKET.INVALID_TRANSITION': 409,
  'TICKET.CLOSED': 409,
  'TICKET.MERGE_REFUSED': 409,
  'TICKET.NO_CHANNEL': 409,
  'SLA.NOT_FOUND': 404,
  'CHANNEL.VERSION_CONFLICT': 409,
  'CHANNEL.DISABLED': 403,
  'CUSTOMER.NOT_FOUND': 404,
  'CUSTOMER.CONFLICT': 409,
  'CUSTOMER.TIER_FORBIDDEN': 403,
  'CALENDAR.NOT_FOUND': 404,
};

export interface HttpErrorResponse {
  readonly statusCode: number;
  readonly body: { error: { code: string; message: string; details?: Readonly<Record<string, unknown>> } };
}

export function toHttpError(error: unknown): HttpErrorResponse & { expected: boolean } {
  if (isDomainError(error)) {
    return {
      statusCode: statusByCode[error.code],
      body: { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } },
      expected: true,
    };
  }
  return { statusCode: 500, body: { error: { code: 'INTERNAL', message: 'internal error; the request can be retried safely' } }, expected: false };
}
