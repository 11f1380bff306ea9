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
