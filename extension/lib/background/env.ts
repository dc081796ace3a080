/** What the background needs from the outside world, passed in so tests can run it against a real API in-process. */
export interface BackgroundEnv {
  fetch: typeof fetch;
  now: () => Date;
  newId: () => string;
}

export function browserEnv(): BackgroundEnv {
  return {
    fetch: (input, init) => globalThis.fetch(input, init),
    now: () => new Date(),
    newId: () => crypto.randomUUID(),
  };
}
