/**
 * Which clock the plan routes use for a database: the real one unless a test set another
 * (tests walk through the school year by moving it). Keyed by the Database object, so two
 * apps in one test process never share a clock.
 */
import type { Database } from '../../db/client.ts';
import { systemClock, type Clock } from '../../domain/plan/clock.ts';

const CLOCKS = new WeakMap<Database, Clock>();

/** The clock for a database (systemClock unless set). */
export function planClockFor(database: Database): Clock {
  return CLOCKS.get(database) ?? systemClock;
}

/** Sets the clock the plan routes read "now" from (tests). */
export function setPlanClock(database: Database, clock: Clock): void {
  CLOCKS.set(database, clock);
}
