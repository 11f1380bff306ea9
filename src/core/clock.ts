// Time is injected (DESIGN principle 5): domain code asks a Clock, never Date.now().

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** ISO 8601 with seconds and a Z, as Graph serialises DateTimeOffset values. */
export function isoNow(clock: Clock): string {
  return new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Where a virtual clock was last set: its reading at a moment of the base clock, and how fast it runs. */
export interface ClockAnchor {
  readonly virtualMs: number;
  readonly baseMs: number;
  /** Virtual milliseconds per base millisecond: 0 stops the clock, 1 runs at the base clock's pace. */
  readonly rate: number;
}

/** A clock that runs from an anchor at a rate relative to a base clock (a tenant's virtual clock). */
export function virtualClock(base: Clock, anchor: ClockAnchor | null): Clock {
  if (!anchor) return base;
  return { now: () => Math.floor(anchor.virtualMs + (base.now() - anchor.baseMs) * anchor.rate) };
}

/** A clock stopped at one moment: a transition that happened at that virtual time. */
export const fixedClock = (ms: number): Clock => ({ now: () => ms });
