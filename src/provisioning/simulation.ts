// Simulation settings of a tenant: its virtual clock, the seed of every random choice, and how apps and
// scripts behave when a simulated device installs them (how long they take, their exit code, whether they
// hang). Behaviour is set per tenant default, per app or script, and per device; the most specific wins.
// Kept out of the Graph resources on purpose (DESIGN principle 3).
import type { AppContext, Scope } from '../server/context.js';
import { clockAnchorOf, inTransaction } from '../server/context.js';
import { GraphError } from '../graph/errors.js';
import { readJson, writeJson } from '../store/db.js';
import { virtualClock, type ClockAnchor } from '../core/clock.js';
import type { Random } from '../core/random.js';

export type ItemKind = 'app' | 'script';

/** How one app or script behaves when it installs or runs. Every field is optional. */
export interface ItemBehaviour {
  /** Seconds it takes: a fixed number, or a range a seeded random draw picks from. */
  readonly durationSeconds?: number | { readonly min: number; readonly max: number };
  /** Exit code it ends with (0 = success). */
  readonly exitCode?: number;
  /** Never finishes: the deployment times out. */
  readonly hang?: boolean;
  /** Chance (0 to 1) that it fails, with failureExitCode; drawn from the seeded random sequence. */
  readonly failureRate?: number;
  readonly failureExitCode?: number;
}

export interface SimulationSettings {
  readonly seed: string;
  readonly clock: ClockAnchor | null;
  readonly defaults: { readonly app: ItemBehaviour; readonly script: ItemBehaviour };
  readonly apps: Readonly<Record<string, ItemBehaviour>>;
  readonly scripts: Readonly<Record<string, ItemBehaviour>>;
}

/** Built-in behaviour: apps take 1 to 4 minutes, scripts 10 to 45 seconds, and both succeed. */
export const BUILT_IN: SimulationSettings['defaults'] = {
  app: { durationSeconds: { min: 60, max: 240 }, exitCode: 0 },
  script: { durationSeconds: { min: 10, max: 45 }, exitCode: 0 },
};
export const DEFAULT_SEED = 'tarmac';
/** Longest simulated duration accepted: a week. */
const MAX_SECONDS = 7 * 24 * 3600;
/** A virtual clock may be moved at most ten years at once. */
const MAX_ADVANCE_SECONDS = 10 * 365 * 24 * 3600;

interface StoredData {
  defaults?: Partial<SimulationSettings['defaults']>;
  apps?: Record<string, ItemBehaviour>;
  scripts?: Record<string, ItemBehaviour>;
}

const invalid = (message: string, target: string) => new GraphError(400, 'BadRequest', message, { target });

export async function loadSimulation(scope: Scope): Promise<SimulationSettings> {
  const row = await scope.db.selectFrom('simulation_settings').selectAll().where('tenant_id', '=', scope.tenantId).executeTakeFirst();
  const data = row ? readJson<StoredData>(row.data) : {};
  return {
    seed: row?.seed ?? DEFAULT_SEED,
    clock: clockAnchorOf(row),
    defaults: { app: data.defaults?.app ?? BUILT_IN.app, script: data.defaults?.script ?? BUILT_IN.script },
    apps: data.apps ?? {},
    scripts: data.scripts ?? {},
  };
}

async function save(scope: Scope, s: SimulationSettings): Promise<void> {
  const values = {
    clock_virtual_ms: s.clock?.virtualMs ?? null,
    clock_real_ms: s.clock?.baseMs ?? null,
    clock_rate: s.clock?.rate ?? 1,
    seed: s.seed,
    data: writeJson({ defaults: s.defaults, apps: s.apps, scripts: s.scripts }),
  };
  const updated = await scope.db.updateTable('simulation_settings').set(values).where('tenant_id', '=', scope.tenantId).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) await scope.db.insertInto('simulation_settings').values({ tenant_id: scope.tenantId, ...values }).execute();
}

/** Checks a behaviour document from the control API, naming the field at fault. */
export function parseBehaviour(body: unknown, field: string): ItemBehaviour {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalid(`'${field}' must be a JSON object.`, field);
  const b = body as Record<string, unknown>;
  const known = new Set(['durationSeconds', 'exitCode', 'hang', 'failureRate', 'failureExitCode']);
  for (const key of Object.keys(b)) if (!known.has(key)) throw invalid(`'${field}.${key}' is not a behaviour setting; use ${[...known].join(', ')}.`, `${field}.${key}`);
  const seconds = (v: unknown, f: string) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > MAX_SECONDS) throw invalid(`'${f}' must be a number of seconds from 0 to ${MAX_SECONDS}.`, f);
    return v;
  };
  const out: { -readonly [K in keyof ItemBehaviour]: ItemBehaviour[K] } = {};
  if (b.durationSeconds !== undefined) {
    const d = b.durationSeconds;
    if (typeof d === 'number') out.durationSeconds = seconds(d, `${field}.durationSeconds`);
    else if (d && typeof d === 'object' && !Array.isArray(d)) {
      const r = d as Record<string, unknown>;
      const min = seconds(r.min, `${field}.durationSeconds.min`);
      const max = seconds(r.max, `${field}.durationSeconds.max`);
      if (max < min) throw invalid(`'${field}.durationSeconds.max' must not be less than min.`, `${field}.durationSeconds.max`);
      out.durationSeconds = { min, max };
    } else throw invalid(`'${field}.durationSeconds' must be a number or {"min","max"}.`, `${field}.durationSeconds`);
  }
  for (const name of ['exitCode', 'failureExitCode'] as const) {
    const v = b[name];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < -2147483648 || v > 4294967295)) throw invalid(`'${field}.${name}' must be a 32-bit integer exit code.`, `${field}.${name}`);
    if (v !== undefined) out[name] = v as number;
  }
  if (b.hang !== undefined) {
    if (typeof b.hang !== 'boolean') throw invalid(`'${field}.hang' must be true or false.`, `${field}.hang`);
    out.hang = b.hang;
  }
  if (b.failureRate !== undefined) {
    if (typeof b.failureRate !== 'number' || !(b.failureRate >= 0 && b.failureRate <= 1)) throw invalid(`'${field}.failureRate' must be a number from 0 to 1.`, `${field}.failureRate`);
    out.failureRate = b.failureRate;
  }
  return out;
}

/** Win32 apps count these exit codes as success by default (Intune's default return codes). */
const WIN32_SUCCESS_CODES = new Set([0, 1707, 3010, 1641]);
export const isSuccessCode = (exitCode: number, kind: ItemKind) => (kind === 'script' ? exitCode === 0 : WIN32_SUCCESS_CODES.has(exitCode));

export interface ItemOutcome {
  /** Seconds the item takes; null when it hangs. */
  readonly durationSeconds: number | null;
  readonly exitCode: number;
}

/** What one item does on one device: the device's behaviour first, then the item's, then the tenant default. */
export function itemOutcome(settings: SimulationSettings, device: DeviceBehaviour | undefined, kind: ItemKind, id: string, random: Random): ItemOutcome {
  const perItem = kind === 'app' ? settings.apps[id] : settings.scripts[id];
  const perDevice = kind === 'app' ? device?.apps?.[id] : device?.scripts?.[id];
  const b: ItemBehaviour = { ...BUILT_IN[kind], ...settings.defaults[kind], ...perItem, ...perDevice };
  // Draw both numbers whatever the settings, so changing one item's behaviour does not shift the others'.
  const durationDraw = random.next();
  const failureDraw = random.next();
  const d = b.durationSeconds ?? 0;
  const seconds = typeof d === 'number' ? d : Math.round(d.min + durationDraw * (d.max - d.min));
  const failed = b.failureRate !== undefined && failureDraw < b.failureRate;
  return { durationSeconds: b.hang ? null : seconds, exitCode: failed ? (b.failureExitCode ?? 1603) : (b.exitCode ?? 0) };
}

/** Behaviour set on one simulated device, by app and script id. */
export interface DeviceBehaviour {
  readonly apps?: Readonly<Record<string, ItemBehaviour>>;
  readonly scripts?: Readonly<Record<string, ItemBehaviour>>;
}

export function parseDeviceBehaviour(body: unknown, field: string): DeviceBehaviour {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalid(`'${field}' must be a JSON object with 'apps' and/or 'scripts'.`, field);
  const b = body as Record<string, unknown>;
  const out: { apps?: Record<string, ItemBehaviour>; scripts?: Record<string, ItemBehaviour> } = {};
  for (const key of Object.keys(b)) {
    if (key !== 'apps' && key !== 'scripts') throw invalid(`'${field}.${key}' is not known; use 'apps' or 'scripts'.`, `${field}.${key}`);
    const map = b[key];
    if (!map || typeof map !== 'object' || Array.isArray(map)) throw invalid(`'${field}.${key}' must map ids to behaviours.`, `${field}.${key}`);
    out[key] = Object.fromEntries(Object.entries(map).map(([id, v]) => [id.toLowerCase(), parseBehaviour(v, `${field}.${key}.${id}`)]));
  }
  return out;
}

/** The control API's view of a tenant's simulation settings. */
export function simulationView(s: SimulationSettings, now: number) {
  return {
    seed: s.seed,
    clock: { now: new Date(now).toISOString(), rate: s.clock?.rate ?? 1 },
    defaults: s.defaults,
    apps: s.apps,
    scripts: s.scripts,
  };
}

/** `PATCH /_tarmac/tenants/{id}/simulation`: seed, defaults, and per app or script behaviour (null removes one). */
export async function updateSimulation(scope: Scope, body: unknown): Promise<SimulationSettings> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalid('The request body must be a JSON object.', 'body');
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) if (!['seed', 'defaults', 'apps', 'scripts'].includes(key)) throw invalid(`'${key}' is not a simulation setting; use seed, defaults, apps or scripts.`, key);
  if (b.seed !== undefined && (typeof b.seed !== 'string' || b.seed.length === 0 || b.seed.length > 200)) throw invalid("'seed' must be a non-empty string of at most 200 characters.", 'seed');
  const defaults = { app: undefined as ItemBehaviour | undefined, script: undefined as ItemBehaviour | undefined };
  if (b.defaults !== undefined) {
    if (!b.defaults || typeof b.defaults !== 'object' || Array.isArray(b.defaults)) throw invalid("'defaults' must be an object with 'app' and/or 'script'.", 'defaults');
    for (const [k, v] of Object.entries(b.defaults)) {
      if (k !== 'app' && k !== 'script') throw invalid(`'defaults.${k}' is not known; use 'app' or 'script'.`, `defaults.${k}`);
      defaults[k] = parseBehaviour(v, `defaults.${k}`);
    }
  }
  const perItem = (key: 'apps' | 'scripts'): Record<string, ItemBehaviour | null> => {
    const map = b[key];
    if (map === undefined) return {};
    if (!map || typeof map !== 'object' || Array.isArray(map)) throw invalid(`'${key}' must map ids to behaviours.`, key);
    return Object.fromEntries(Object.entries(map).map(([id, v]) => [id.toLowerCase(), v === null ? null : parseBehaviour(v, `${key}.${id}`)]));
  };
  const apps = perItem('apps');
  const scripts = perItem('scripts');
  const merge = (current: Readonly<Record<string, ItemBehaviour>>, patch: Record<string, ItemBehaviour | null>) => {
    const out: Record<string, ItemBehaviour> = { ...current };
    for (const [id, v] of Object.entries(patch)) {
      if (v === null) delete out[id];
      else out[id] = v;
    }
    return out;
  };
  return inTransaction(scope, async (tx) => {
    const current = await loadSimulation(tx);
    const next: SimulationSettings = {
      ...current,
      seed: typeof b.seed === 'string' ? b.seed : current.seed,
      defaults: { app: defaults.app ?? current.defaults.app, script: defaults.script ?? current.defaults.script },
      apps: merge(current.apps, apps),
      scripts: merge(current.scripts, scripts),
    };
    await save(tx, next);
    return next;
  });
}

export interface ClockChange {
  readonly advanceSeconds?: number;
  readonly rate?: number;
}

/** Parses `POST /_tarmac/tenants/{id}/clock`: advanceSeconds (≥ 0) and/or rate (0 to 10,000). */
export function parseClockChange(body: unknown): ClockChange & { readonly runUntilIdle: boolean } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalid('The request body must be a JSON object.', 'body');
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) if (!['advanceSeconds', 'rate', 'runUntilIdle'].includes(key)) throw invalid(`'${key}' is not a clock setting; use advanceSeconds, rate or runUntilIdle.`, key);
  if (b.advanceSeconds !== undefined && (typeof b.advanceSeconds !== 'number' || !Number.isFinite(b.advanceSeconds) || b.advanceSeconds < 0 || b.advanceSeconds > MAX_ADVANCE_SECONDS)) {
    throw invalid(`'advanceSeconds' must be a number of seconds from 0 to ${MAX_ADVANCE_SECONDS}; a virtual clock never goes back.`, 'advanceSeconds');
  }
  if (b.rate !== undefined && (typeof b.rate !== 'number' || !Number.isFinite(b.rate) || b.rate < 0 || b.rate > 10000)) {
    throw invalid("'rate' must be a number from 0 (stopped) to 10000 (virtual seconds per real second).", 'rate');
  }
  if (b.runUntilIdle !== undefined && typeof b.runUntilIdle !== 'boolean') throw invalid("'runUntilIdle' must be true or false.", 'runUntilIdle');
  if (b.advanceSeconds === undefined && b.rate === undefined && b.runUntilIdle === undefined) throw invalid("Give 'advanceSeconds', 'rate' or 'runUntilIdle'.", 'advanceSeconds');
  return { advanceSeconds: b.advanceSeconds as number | undefined, rate: b.rate as number | undefined, runUntilIdle: b.runUntilIdle === true };
}

/** Moves a tenant's virtual clock forward and/or changes its rate; returns the new virtual time. */
export async function changeClock(ctx: AppContext, tenantId: string, change: ClockChange): Promise<number> {
  const scope: Scope = { db: ctx.db.kysely, dialect: ctx.db.dialect, clock: ctx.clock, tenantId };
  return inTransaction(scope, async (tx) => {
    const current = await loadSimulation(tx);
    const base = ctx.clock.now();
    const now = virtualClock(ctx.clock, current.clock).now();
    const anchor: ClockAnchor = {
      virtualMs: now + Math.round((change.advanceSeconds ?? 0) * 1000),
      baseMs: base,
      rate: change.rate ?? current.clock?.rate ?? 1,
    };
    await save(tx, { ...current, clock: anchor });
    return anchor.virtualMs;
  });
}
