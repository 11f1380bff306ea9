// Fleet view: how a lab of many devices is doing. Deployments over time (started, succeeded, failed per
// bucket of the tenant's clock) and a histogram of deployment times, from the same live store as the report;
// and "Start N devices": create simulated devices in one request, then sign each in with a chosen user.
import { useMemo, useRef, useState, type FormEvent } from 'react';
import {
  Button,
  Card,
  CardHeader,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Option,
  ProgressBar,
  SpinButton,
  Subtitle2,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { RocketRegular } from '@fluentui/react-icons/svg/rocket';
import { asApiError, control, type ApiError } from '../../api';
import { ErrorBar } from '../../components/error-bar';
import { Histogram, LineChart, type Series } from './charts';
import { useStoreVersion, type DeploymentRow, type DeploymentStore } from './deployment-store';
import { durationText, plural } from './format';
import { UserPicker } from './pickers';
import type { List, SimulatedDevice } from './types';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  stats: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(150px, 1fr))', gap: tokens.spacingHorizontalM },
  stat: { padding: tokens.spacingHorizontalM, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  statValue: { fontSize: tokens.fontSizeBase600, fontWeight: tokens.fontWeightSemibold, lineHeight: tokens.lineHeightBase600 },
  statLabel: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  charts: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(460px, 1fr))', gap: tokens.spacingHorizontalL },
  card: { padding: tokens.spacingHorizontalL },
  form: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  toolbar: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  muted: { color: tokens.colorNeutralForeground3 },
});

const SERIES: readonly Series[] = [
  { name: 'Started', color: tokens.colorBrandBackground },
  { name: 'Succeeded', color: tokens.colorPaletteGreenBackground3 },
  { name: 'Failed', color: tokens.colorPaletteRedBackground3 },
];
const DURATION_SERIES: readonly Series[] = [SERIES[1]!, SERIES[2]!];

const MINUTE = 60_000;
const BUCKETS = [1, 5, 15, 30, 60, 180, 360, 720, 1440, 10080].map((m) => m * MINUTE);
const MAX_BUCKETS = 48;

type Scope = 'all' | 'devicePreparation' | 'classicAutopilot' | 'other';
const SCOPE_LABEL: Readonly<Record<Scope, string>> = { all: 'All deployments', devicePreparation: 'Device preparation', classicAutopilot: 'Classic Autopilot', other: 'Entra join and blocked' };

const scopeOf = (r: DeploymentRow): Scope => (r.path === 'devicePreparation' ? 'devicePreparation' : r.path === 'classicAutopilot' ? 'classicAutopilot' : 'other');

const bucketLabel = (ms: number, size: number) => {
  const iso = new Date(ms).toISOString();
  return size >= 1440 * MINUTE ? iso.slice(5, 10) : size >= 360 * MINUTE ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
};

/** Started, succeeded and failed per bucket of the tenant's clock, from the first start to now. */
export function timeBuckets(rows: readonly DeploymentRow[], nowMs: number) {
  if (rows.length === 0) return { size: MINUTE, points: [] };
  const first = Math.min(...rows.map((r) => r.startedMs));
  const span = Math.max(MINUTE, nowMs - first);
  const size = BUCKETS.find((b) => span / b <= MAX_BUCKETS) ?? BUCKETS[BUCKETS.length - 1]!;
  const start = Math.floor(first / size) * size;
  const count = Math.max(1, Math.floor((Math.max(nowMs, first) - start) / size) + 1);
  const values = Array.from({ length: count }, () => [0, 0, 0]);
  const at = (ms: number) => Math.min(count - 1, Math.max(0, Math.floor((ms - start) / size)));
  for (const r of rows) {
    values[at(r.startedMs)]![0]!++;
    if (r.completedMs !== null && r.status !== 'inProgress') values[at(r.completedMs)]![r.status === 'success' ? 1 : 2]!++;
  }
  return { size, points: values.map((v, i) => ({ label: bucketLabel(start + i * size, size), values: v })) };
}

const BIN_SECONDS = [10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400];

/** Deployment times of ended deployments in about 20 bins. */
export function durationBins(rows: readonly DeploymentRow[]) {
  const ended = rows.filter((r) => r.status !== 'inProgress' && r.deploymentTimeSeconds !== null);
  if (ended.length === 0) return [];
  const max = Math.max(...ended.map((r) => r.deploymentTimeSeconds!));
  const width = BIN_SECONDS.find((w) => max / w < 20) ?? BIN_SECONDS[BIN_SECONDS.length - 1]!;
  const n = Math.floor(max / width) + 1;
  const bins = Array.from({ length: n }, (_, i) => ({ label: durationText(i * width), values: [0, 0] }));
  for (const r of ended) bins[Math.min(n - 1, Math.floor(r.deploymentTimeSeconds! / width))]!.values[r.status === 'success' ? 0 : 1]!++;
  return bins;
}

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export function Fleet({ tenantId, store, nowMs }: { readonly tenantId: string; readonly store: DeploymentStore; readonly nowMs: number | undefined }) {
  const styles = useStyles();
  const version = useStoreVersion(store);
  const [scope, setScope] = useState<Scope>('all');
  const rows = useMemo(() => store.all().filter((r) => scope === 'all' || scopeOf(r) === scope), [store, version, scope]);
  const now = nowMs ?? Date.now();
  // Buckets move with the clock by the minute, not on every read.
  const nowMinute = Math.ceil(now / MINUTE) * MINUTE;
  const buckets = useMemo(() => timeBuckets(rows, nowMinute), [rows, nowMinute]);
  const bins = useMemo(() => durationBins(rows), [rows]);
  const stats = useMemo(() => {
    const c = { inProgress: 0, success: 0, failed: 0 };
    for (const r of rows) c[r.status]++;
    const times = rows.filter((r) => r.status === 'success' && r.deploymentTimeSeconds !== null).map((r) => r.deploymentTimeSeconds!).sort((a, b) => a - b);
    return { ...c, median: percentile(times, 0.5), p95: percentile(times, 0.95) };
  }, [rows]);
  const ended = stats.success + stats.failed;

  return (
    <div className={styles.root}>
      <div className={styles.toolbar}>
        <Subtitle2 as="h2">Fleet</Subtitle2>
        <Dropdown aria-label="Deployments shown" value={SCOPE_LABEL[scope]} selectedOptions={[scope]} onOptionSelect={(_e, d) => setScope((d.optionValue as Scope) ?? 'all')}>
          {(Object.keys(SCOPE_LABEL) as Scope[]).map((s) => (
            <Option key={s} value={s}>
              {SCOPE_LABEL[s]}
            </Option>
          ))}
        </Dropdown>
        <Text className={styles.muted}>Live, on the tenant's clock (UTC).</Text>
      </div>
      <div className={styles.stats}>
        <Stat label="Deployments" value={rows.length.toLocaleString('en-US')} />
        <Stat label="In progress" value={stats.inProgress.toLocaleString('en-US')} />
        <Stat label="Succeeded" value={stats.success.toLocaleString('en-US')} />
        <Stat label="Failed" value={stats.failed.toLocaleString('en-US')} />
        <Stat label="Success rate" value={ended ? `${Math.round((stats.success / ended) * 100)}%` : '—'} />
        <Stat label="Median time (success)" value={stats.median === null ? '—' : durationText(stats.median)} />
        <Stat label="95th percentile" value={stats.p95 === null ? '—' : durationText(stats.p95)} />
      </div>
      <div className={styles.charts}>
        <Card className={styles.card}>
          <CardHeader header={<Subtitle2 as="h3">Deployments over time</Subtitle2>} description={<Text size={200}>Per {durationText(buckets.size / 1000)} of the tenant's clock</Text>} />
          <LineChart label="Deployments over time" series={SERIES} points={buckets.points} />
        </Card>
        <Card className={styles.card}>
          <CardHeader header={<Subtitle2 as="h3">Deployment times</Subtitle2>} description={<Text size={200}>Ended deployments by how long they took</Text>} />
          <Histogram label="Deployment times" series={DURATION_SERIES} bins={bins} xLabel="Deployment time" />
        </Card>
      </div>
      <StartDevices tenantId={tenantId} onStarted={() => store.refresh()} />
    </div>
  );
}

function Stat({ label, value }: { readonly label: string; readonly value: string }) {
  const styles = useStyles();
  return (
    <Card className={styles.stat} aria-label={`${label}: ${value}`}>
      <span className={styles.statValue}>{value}</span>
      <span className={styles.statLabel}>{label}</span>
    </Card>
  );
}

interface Progress {
  readonly total: number;
  readonly created: number;
  readonly signedIn: number;
  readonly failed: number;
  readonly done: boolean;
  readonly error?: ApiError;
}

const CONCURRENCY = 6;

/** Creates N devices (one request, up to 10,000) and signs each in as the chosen user. */
function StartDevices({ tenantId, onStarted }: { readonly tenantId: string; readonly onStarted: () => void }) {
  const styles = useStyles();
  const [count, setCount] = useState(10);
  const [upn, setUpn] = useState('');
  const [password, setPassword] = useState('');
  const [model, setModel] = useState('');
  const [progress, setProgress] = useState<Progress | undefined>();
  const cancelled = useRef(false);
  const running = progress !== undefined && !progress.done;
  const base = `/tenants/${encodeURIComponent(tenantId)}`;

  const start = async (e: FormEvent) => {
    e.preventDefault();
    cancelled.current = false;
    const n = Math.max(1, Math.min(10_000, Math.round(count)));
    let state: Progress = { total: n, created: 0, signedIn: 0, failed: 0, done: false };
    setProgress(state);
    try {
      const body = Array.from({ length: n }, () => (model.trim() ? { model: model.trim() } : {}));
      const created = await control<List<SimulatedDevice>>('POST', `${base}/devices`, body);
      state = { ...state, created: created.value.length };
      setProgress(state);
      let next = 0;
      let firstError: ApiError | undefined;
      const worker = async () => {
        while (next < created.value.length && !cancelled.current) {
          const device = created.value[next++]!;
          try {
            await control('POST', `${base}/devices/${device.id}/sign-in`, { userPrincipalName: upn.trim(), password });
            state = { ...state, signedIn: state.signedIn + 1 };
          } catch (err) {
            firstError ??= asApiError(err);
            state = { ...state, failed: state.failed + 1, error: firstError };
          }
          setProgress(state);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      state = { ...state, done: true };
    } catch (err) {
      state = { ...state, done: true, error: asApiError(err) };
    }
    setProgress(state);
    onStarted();
  };

  return (
    <Card className={styles.card}>
      <CardHeader header={<Subtitle2 as="h3">Start devices</Subtitle2>} description={<Text size={200}>Creates simulated devices at the out-of-box experience and signs the user in on each: watch them run here and in the report.</Text>} />
      <form className={styles.form} onSubmit={start} aria-label="Start devices">
        <Field label="Devices">
          <SpinButton aria-label="Number of devices" min={1} max={10000} value={count} onChange={(_e, d) => setCount(Number(d.value ?? Number.parseInt(d.displayValue ?? '', 10)) || 1)} style={{ width: 120 }} />
        </Field>
        <Field label="User">
          <UserPicker label="User who signs in" value={upn} onChange={setUpn} />
        </Field>
        <Field label="Password">
          <Input aria-label="Password of the user" type="password" value={password} onChange={(_e, d) => setPassword(d.value)} />
        </Field>
        <Field label="Model (optional)">
          <Input aria-label="Model" placeholder="Surface Laptop 6" value={model} onChange={(_e, d) => setModel(d.value)} />
        </Field>
        <Button appearance="primary" type="submit" icon={<RocketRegular />} disabled={running || !upn.trim()}>
          Start {plural(Math.max(1, Math.round(count)), 'device')}
        </Button>
        {running && (
          <Button type="button" onClick={() => (cancelled.current = true)}>
            Stop
          </Button>
        )}
      </form>
      {progress && (
        <div role="status" aria-label="Start progress">
          <ProgressBar value={progress.total ? (progress.signedIn + progress.failed) / progress.total : 0} thickness="large" color={progress.failed ? 'warning' : 'brand'} aria-label="Devices signed in" />
          <Text size={200}>
            {progress.created < progress.total && !progress.done
              ? `Creating ${plural(progress.total, 'device')}…`
              : `Created ${plural(progress.created, 'device')}; signed in on ${progress.signedIn.toLocaleString('en-US')}${progress.failed ? `, ${progress.failed.toLocaleString('en-US')} refused` : ''}${progress.done ? '.' : '…'}`}
          </Text>
        </div>
      )}
      {progress?.error && <ErrorBar error={progress.error} title="Some devices could not start" />}
      {progress?.done && !progress.error && (
        <MessageBar intent="success">
          <MessageBarBody>{plural(progress.signedIn, 'deployment')} started.</MessageBarBody>
        </MessageBar>
      )}
    </Card>
  );
}
