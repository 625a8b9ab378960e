/**
 * A clock the plan services ask for "now", so tests can walk through a school year by
 * setting the date instead of waiting for it.
 */
export interface Clock {
  now(): Date;
}

/** The real time. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that stays where it is set (tests). */
export function settableClock(start: Date): Clock & { set(at: Date | string): void } {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set(at) {
      current = new Date(at);
    },
  };
}
