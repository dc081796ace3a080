import { todayIn } from "@passerelle/shared";

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can set and move. */
export function fixedClock(start: string | Date): Clock & { set(at: string | Date): void; advance(ms: number): void } {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (at) => (current = new Date(at)),
    advance: (ms) => (current = new Date(current.getTime() + ms)),
  };
}

/** A clock that reads `start` now and runs on from there: the server shown another day (`PASSERELLE_NOW`), for demonstrations and end-to-end runs. */
export function runningClockFrom(start: Date): Clock {
  const offset = start.getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

export function today(clock: Clock, timeZone: string): string {
  return todayIn(timeZone, clock.now());
}
