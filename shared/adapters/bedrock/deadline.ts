/**
 * A strict deadline around one Bedrock call: the request is aborted (so the SDK stops retrying and the socket is
 * released) and the promise rejects at the deadline even if the client ignores the abort, so a caller that falls back
 * to the local engine never waits longer than it asked for.
 */

/** Rejected when a provider did not answer in time; `name` is 'TimeoutError' like the platform's own abort timeouts. */
export class ProviderTimeoutError extends Error {
  readonly code = 'PROVIDER.TIMEOUT';

  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super(`${operation} did not answer within ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}

/** Runs `call` with an abort signal and rejects with ProviderTimeoutError after `timeoutMs`. */
export async function withDeadline<T>(operation: string, timeoutMs: number, call: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError(`timeoutMs must be a positive number, got ${timeoutMs}`);
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new ProviderTimeoutError(operation, timeoutMs);
      // Rejected before the abort, so that the race settles with this error rather than the client's AbortError.
      reject(error);
      controller.abort(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([call(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
