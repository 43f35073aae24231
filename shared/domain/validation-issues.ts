/**
 * zod/mini carries no message catalogue ("Invalid input"): these turn its issues into "path: what was expected" for
 * people editing JSON (flows, calendars, SLA policies).
 */
import type * as z from 'zod/mini';

export interface Problem {
  readonly path: string;
  readonly message: string;
}

/** One issue as problems; `root` names the document when the path is empty ("(flow)", "(calendar)"). */
export function describeIssue(issue: z.core.$ZodIssue, root: string): Problem[] {
  const at = (extra: readonly PropertyKey[] = []) => [...issue.path, ...extra].map(String).join('.') || root;
  const own = issue.message && issue.message !== 'Invalid input' ? issue.message : undefined;
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({ path: at([key]), message: 'unknown field' }));
    case 'invalid_type':
      return [{ path: at(), message: own ?? `expected ${issue.expected}` }];
    case 'invalid_value':
      return [{ path: at(), message: own ?? `expected ${issue.values.map((v) => JSON.stringify(v)).join(' | ')}` }];
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      return [{ path: at(), message: own ?? (options ? `expected ${options.map((v) => JSON.stringify(v)).join(' | ')}` : 'does not match any allowed shape') }];
    }
    case 'too_small':
      return [{ path: at(), message: own ?? (issue.origin === 'number' ? `must be at least ${issue.minimum}` : issue.origin === 'array' ? `needs at least ${issue.minimum} item(s)` : `must have at least ${issue.minimum} character(s)`) }];
    case 'too_big':
      return [{ path: at(), message: own ?? (issue.origin === 'number' ? `must be at most ${issue.maximum}` : `must have at most ${issue.maximum} item(s) or character(s)`) }];
    default:
      return [{ path: at(), message: own ?? issue.code }];
  }
}

/** Every issue of a failed parse, described. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], root: string): Problem[] {
  return issues.flatMap((issue) => describeIssue(issue, root));
}
