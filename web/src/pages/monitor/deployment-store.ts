// Every deployment of the tenant, kept live for the report and the fleet charts, read from
// GET /_tarmac/tenants/{id}/deployments (ordered by id, and ids are ordered by start time; paged with `after`).
//
// Cheap polling, every POLL_MS:
//   - new deployments: `?after=<largest id known>` (usually an empty page);
//   - running ones: `?status=inProgress`, every page while there are few (SWEEP_LIMIT); with more, only the
//     id range of the rows in view (and the open one), and all of them every SWEEP_EVERY_MS;
//   - a running deployment missing from such an answer has ended: read it alone (GET …/deployments/{id}),
//     or, when many ended at once (a clock run), the stretch of the list they are in.
// A small tenant (SMALL rows) is read whole each time, which also notices deleted devices.
// The rows keep only what the screens show (a deployment document is 2-3 kB; 10,000 rows stay small).
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { asApiError, control, type ApiError } from '../../api';
import type { Deployment, DeploymentPath, DeploymentStatus, List } from './types';

export const POLL_MS = 500;
const PAGE = 2000;
const SMALL = 50;
const SWEEP_LIMIT = 500;
const SWEEP_EVERY_MS = 30_000;
/** More deployments than this ending at once (a clock run): read the stretch of the list they are in. */
const SINGLE_READS = 40;

/** What the monitor keeps of a deployment. */
export interface DeploymentRow {
  readonly id: string;
  readonly deviceId: string;
  readonly serialNumber: string;
  readonly deviceName: string | null;
  readonly userPrincipalName: string;
  readonly path: DeploymentPath;
  readonly intendedPath: DeploymentPath | null;
  readonly status: DeploymentStatus;
  readonly phase: string | null;
  readonly stage: string;
  readonly startedMs: number;
  /** Enrollment in Intune (the report's Enrollment date); the start when it has not enrolled. */
  readonly enrolledMs: number;
  readonly completedMs: number | null;
  readonly deploymentTimeSeconds: number | null;
  readonly enrolled: boolean;
  readonly policyName: string | null;
  readonly profileName: string | null;
  readonly errorCode: string | null;
}

export function toRow(d: Deployment): DeploymentRow {
  const enrolled = d.timeline.find((t) => t.event === 'enrolled');
  const startedMs = Date.parse(d.startedDateTime);
  return {
    id: d.id,
    deviceId: d.deviceId,
    serialNumber: d.serialNumber,
    deviceName: d.deviceName,
    userPrincipalName: d.userPrincipalName,
    path: d.path,
    intendedPath: d.intendedPath,
    status: d.status,
    phase: d.phase,
    stage: d.stage,
    startedMs,
    enrolledMs: enrolled ? Date.parse(enrolled.dateTime) : startedMs,
    completedMs: d.completedDateTime ? Date.parse(d.completedDateTime) : null,
    deploymentTimeSeconds: d.deploymentTimeSeconds,
    enrolled: d.managedDeviceId !== null,
    policyName: d.policy?.name ?? null,
    profileName: d.profile?.displayName ?? null,
    errorCode: d.error?.code ?? null,
  };
}

/**
 * The report's rows (behaviour.md §4): deployments that ran a device preparation policy and enrolled (a
 * device stopped before enrollment never reaches the reporting service), kept 28 days on the tenant's clock.
 */
export const RETENTION_DAYS = 28;
export function isDevicePreparationRow(r: DeploymentRow, nowMs: number | undefined): boolean {
  return r.path === 'devicePreparation' && r.policyName !== null && r.enrolled && (nowMs === undefined || r.startedMs >= nowMs - RETENTION_DAYS * 86_400_000);
}

const same = (a: DeploymentRow, b: DeploymentRow) =>
  a.status === b.status &&
  a.stage === b.stage &&
  a.phase === b.phase &&
  a.deviceName === b.deviceName &&
  a.completedMs === b.completedMs &&
  a.enrolled === b.enrolled &&
  a.enrolledMs === b.enrolledMs &&
  a.path === b.path &&
  a.errorCode === b.errorCode;

function lowerBound(ids: readonly string[], id: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid]! < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class DeploymentStore {
  private rows = new Map<string, DeploymentRow>();
  /** Every id, ascending (the server's order). */
  private ids: string[] = [];
  private listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private controller: AbortController | undefined;
  private lastSweep = 0;
  private resync = true;
  /** Ids the user is looking at: rows in view, the open deployment. */
  private watched: readonly string[] = [];

  /** Bumped on every change; React re-renders on it. */
  version = 0;
  loaded = false;
  /** Rows read so far by the first load (shown while it continues). */
  loading = true;
  error: ApiError | undefined;
  /** Real time of the last answer. */
  updatedAt = 0;

  constructor(private readonly tenantId: string) {}

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = () => this.version;

  /** Every row, oldest first. */
  all(): DeploymentRow[] {
    return this.ids.map((id) => this.rows.get(id)!);
  }

  get(id: string): DeploymentRow | undefined {
    return this.rows.get(id);
  }

  get size(): number {
    return this.ids.length;
  }

  watch(ids: readonly string[]): void {
    this.watched = ids;
  }

  /** A deployment read elsewhere (the details pane) updates its row at once. */
  put(d: Deployment): void {
    if (this.upsert(toRow(d))) this.publish();
  }

  start(): void {
    if (this.controller) return;
    this.controller = new AbortController();
    void this.loop(this.controller.signal);
  }

  stop(): void {
    this.controller?.abort();
    this.controller = undefined;
    clearTimeout(this.timer);
  }

  /** Reads everything again now (the Refresh button). */
  refresh(): void {
    this.resync = true;
    if (!this.controller) return;
    if (this.busy === this.controller.signal) this.again = true;
    else {
      clearTimeout(this.timer);
      void this.loop(this.controller.signal);
    }
  }

  private publish(): void {
    this.version++;
    for (const l of this.listeners) l();
  }

  private base(): string {
    return `/tenants/${encodeURIComponent(this.tenantId)}/deployments`;
  }

  private async list(query: string, signal: AbortSignal): Promise<Deployment[]> {
    return (await control<List<Deployment>>('GET', `${this.base()}?${query}`, undefined, { signal })).value;
  }

  /** The loop whose tick is under way, and whether another tick was asked for meanwhile. */
  private busy: AbortSignal | undefined;
  private again = false;

  private async loop(signal: AbortSignal): Promise<void> {
    if (this.busy === signal) return;
    this.busy = signal;
    let delay = POLL_MS;
    try {
      await this.tick(signal);
      if (this.error) {
        this.error = undefined;
        this.publish();
      }
    } catch (err) {
      if (signal.aborted) return;
      this.error = asApiError(err);
      this.loading = false;
      this.publish();
      delay = 2000;
    } finally {
      if (this.busy === signal) this.busy = undefined;
    }
    if (signal.aborted) return;
    if (this.again) delay = 0;
    this.again = false;
    this.timer = setTimeout(() => void this.loop(signal), delay);
  }

  private async tick(signal: AbortSignal): Promise<void> {
    if (this.resync || this.ids.length <= SMALL) {
      await this.readAll(signal);
      return;
    }
    let changed = await this.readNew(signal);
    const now = Date.now();
    const inProgress = this.count((r) => r.status === 'inProgress');
    if (inProgress <= SWEEP_LIMIT || now - this.lastSweep >= SWEEP_EVERY_MS) {
      changed = (await this.sweep(undefined, Number.POSITIVE_INFINITY, signal)) || changed;
      this.lastSweep = now;
    } else {
      changed = (await this.sweepWatched(signal)) || changed;
    }
    this.updatedAt = Date.now();
    if (changed) this.publish();
  }

  private count(test: (r: DeploymentRow) => boolean): number {
    let n = 0;
    for (const r of this.rows.values()) if (test(r)) n++;
    return n;
  }

  /** The whole list, page by page; the first load shows each page as it arrives. */
  private async readAll(signal: AbortSignal): Promise<void> {
    const first = !this.loaded;
    const rows = new Map<string, DeploymentRow>();
    const ids: string[] = [];
    for (let after: string | undefined; ; ) {
      const page = await this.list(`top=${PAGE}${after ? `&after=${after}` : ''}`, signal);
      for (const d of page) {
        rows.set(d.id, toRow(d));
        ids.push(d.id);
      }
      if (first) {
        this.rows = new Map(rows);
        this.ids = [...ids];
        this.publish();
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.id;
    }
    const changed = first || ids.length !== this.ids.length || ids.some((id, i) => this.ids[i] !== id || !same(this.rows.get(id)!, rows.get(id)!));
    this.rows = rows;
    this.ids = ids;
    this.loaded = true;
    this.loading = false;
    this.resync = false;
    this.lastSweep = Date.now();
    this.updatedAt = Date.now();
    if (changed) this.publish();
  }

  /** Deployments started since the last look. */
  private async readNew(signal: AbortSignal): Promise<boolean> {
    let changed = false;
    for (let pages = 0; pages < 10; pages++) {
      const last = this.ids[this.ids.length - 1];
      const page = await this.list(`top=${PAGE}${last ? `&after=${last}` : ''}`, signal);
      for (const d of page) changed = this.upsert(toRow(d)) || changed;
      if (page.length < PAGE) break;
    }
    return changed;
  }

  private upsert(row: DeploymentRow): boolean {
    const old = this.rows.get(row.id);
    if (old && same(old, row)) return false;
    this.rows.set(row.id, row);
    if (!old) {
      const at = lowerBound(this.ids, row.id);
      if (this.ids[at] !== row.id) this.ids.splice(at, 0, row.id);
    }
    return true;
  }

  private remove(id: string): void {
    if (!this.rows.delete(id)) return;
    const at = lowerBound(this.ids, id);
    if (this.ids[at] === id) this.ids.splice(at, 1);
  }

  /**
   * The running deployments with an id after `after` (all of them, or the first `limit`). Those known as
   * running in the range the answer covers but not in it have ended: they are read one by one.
   */
  private async sweep(after: string | undefined, limit: number, signal: AbortSignal): Promise<boolean> {
    const running: Deployment[] = [];
    let covered = '\uffff';
    for (let cursor = after; ; ) {
      const want = Math.min(PAGE, limit - running.length);
      const page = await this.list(`status=inProgress&top=${want}${cursor ? `&after=${cursor}` : ''}`, signal);
      running.push(...page);
      if (page.length < want) break;
      cursor = page[page.length - 1]!.id;
      if (running.length >= limit) {
        covered = cursor;
        break;
      }
    }
    let changed = false;
    const seen = new Set<string>();
    for (const d of running) {
      seen.add(d.id);
      changed = this.upsert(toRow(d)) || changed;
    }
    const ended: string[] = [];
    const from = after === undefined ? 0 : lowerBound(this.ids, after);
    for (let i = from; i < this.ids.length && this.ids[i]! <= covered; i++) {
      const id = this.ids[i]!;
      if (id === after) continue;
      if (this.rows.get(id)!.status === 'inProgress' && !seen.has(id)) ended.push(id);
    }
    return (await this.readEach(ended, signal)) || changed;
  }

  /** Only the rows in view: one page of the running deployments from the first of them. */
  private async sweepWatched(signal: AbortSignal): Promise<boolean> {
    const candidates = this.watched.filter((id) => {
      const s = this.rows.get(id)?.status;
      // A failed deployment in view may be retried: it then shows among the running ones.
      return s === 'inProgress' || s === 'failed';
    });
    if (candidates.length === 0) return false;
    candidates.sort();
    const lo = lowerBound(this.ids, candidates[0]!);
    const hi = lowerBound(this.ids, candidates[candidates.length - 1]!);
    let limit = candidates.filter((id) => this.rows.get(id)!.status === 'failed').length + 1;
    for (let i = lo; i <= hi && i < this.ids.length; i++) if (this.rows.get(this.ids[i]!)!.status === 'inProgress') limit++;
    if (limit <= PAGE) return this.sweep(lo > 0 ? this.ids[lo - 1] : undefined, limit, signal);
    // The rows in view are spread over the whole list (sorted by another column): read them one by one.
    return this.readEach(
      candidates.filter((id) => this.rows.get(id)!.status === 'inProgress'),
      signal,
    );
  }

  private async readEach(ids: readonly string[], signal: AbortSignal): Promise<boolean> {
    if (ids.length === 0) return false;
    if (ids.length > SINGLE_READS) return this.readSpan([...ids].sort(), signal);
    const results = await Promise.all(
      ids.map((id) =>
        control<Deployment>('GET', `${this.base()}/${id}`, undefined, { signal }).catch((err) => {
          if (asApiError(err).status === 404) return null;
          throw err;
        }),
      ),
    );
    let changed = false;
    results.forEach((d, i) => {
      if (d) changed = this.upsert(toRow(d)) || changed;
      else {
        this.remove(ids[i]!);
        changed = true;
      }
    });
    return changed;
  }

  /**
   * Many deployments ended at once (they started together, so they are mostly neighbours in the list): the
   * list from the first of them to the last, in pages. A deployment of the stretch that is gone was deleted.
   */
  private async readSpan(sorted: readonly string[], signal: AbortSignal): Promise<boolean> {
    const last = sorted[sorted.length - 1]!;
    const lo = lowerBound(this.ids, sorted[0]!);
    const seen = new Set<string>();
    let changed = false;
    for (let after = lo > 0 ? this.ids[lo - 1] : undefined; ; ) {
      const page = await this.list(`top=${PAGE}${after ? `&after=${after}` : ''}`, signal);
      for (const d of page) {
        seen.add(d.id);
        changed = this.upsert(toRow(d)) || changed;
      }
      if (page.length < PAGE || page[page.length - 1]!.id >= last) break;
      after = page[page.length - 1]!.id;
    }
    for (const id of sorted) {
      if (!seen.has(id)) {
        this.remove(id);
        changed = true;
      }
    }
    return changed;
  }
}

/** The tenant's live deployments, polled while `active` (what was read stays when it is not). */
export function useDeploymentStore(tenantId: string, active = true): DeploymentStore {
  const store = useMemo(() => new DeploymentStore(tenantId), [tenantId]);
  useEffect(() => {
    if (!active) return;
    store.start();
    return () => store.stop();
  }, [store, active]);
  return store;
}

/** Re-renders on every change of the store; returns its version (a memo key). */
export function useStoreVersion(store: DeploymentStore): number {
  return useSyncExternalStore(store.subscribe, store.getVersion);
}
