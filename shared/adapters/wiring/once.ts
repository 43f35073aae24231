/** A value made at its first use and kept for the life of the process (a Lambda execution environment). */
const resets: Array<() => void> = [];

export function once<T>(make: () => T): () => T {
  let value: T | undefined;
  let made = false;
  resets.push(() => {
    value = undefined;
    made = false;
  });
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value as T;
  };
}

/**
 * Forgets every value made by `once` (and whatever else registered here), so that a new configuration takes effect.
 * Only the local runtime needs this, when it starts again inside one process (tests); a Lambda never does.
 */
export function resetWiring(): void {
  for (const reset of resets) reset();
}

export function onResetWiring(reset: () => void): void {
  resets.push(reset);
}
