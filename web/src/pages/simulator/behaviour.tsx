// Simulated behaviour of apps and scripts: how long each takes, its exit code, whether it hangs, a failure
// rate. For every device (the tenant's defaults and per app or script: PATCH /_tarmac/tenants/{id}/simulation)
// or for the selected device only (PATCH …/devices/{id} {behaviour}); the most specific wins. Each row is
// keyed by the value it shows, so a saved change (or one made elsewhere) starts it afresh.
import { useState } from 'react';
import {
  Button,
  Card,
  CardHeader,
  Checkbox,
  Input,
  Subtitle2,
  Tab,
  TabList,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { asApiError, control, graphAll, useControl, useLoad, type ApiError } from '../../api';
import { ErrorBar } from '../../components/error-bar';
import type { ItemBehaviour, SimulatedDevice, SimulationView } from '../monitor/types';

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  input: { width: '100%', minWidth: '60px' },
  muted: { color: tokens.colorNeutralForeground3 },
  actions: { display: 'flex', gap: tokens.spacingHorizontalXS },
  heading: { fontWeight: tokens.fontWeightSemibold, backgroundColor: tokens.colorNeutralBackground3 },
});

interface Named {
  readonly id: string;
  readonly displayName: string;
}

interface Fields {
  duration: string;
  exitCode: string;
  failureRate: string;
  hang: boolean;
}

const fieldsOf = (b: ItemBehaviour | undefined): Fields => ({
  duration: b?.durationSeconds === undefined ? '' : typeof b.durationSeconds === 'number' ? String(b.durationSeconds) : `${b.durationSeconds.min}-${b.durationSeconds.max}`,
  exitCode: b?.exitCode === undefined ? '' : String(b.exitCode),
  failureRate: b?.failureRate === undefined ? '' : String(b.failureRate),
  hang: b?.hang ?? false,
});

/** The behaviour the fields describe; a message when a field cannot be read. */
function behaviourOf(f: Fields): ItemBehaviour | string {
  const out: { -readonly [K in keyof ItemBehaviour]: ItemBehaviour[K] } = {};
  const d = f.duration.trim();
  if (d) {
    const m = /^(\d+(?:\.\d+)?)\s*(?:[-–]\s*(\d+(?:\.\d+)?))?$/.exec(d);
    if (!m) return 'Duration: seconds, or a range such as 60-240.';
    out.durationSeconds = m[2] === undefined ? Number(m[1]) : { min: Number(m[1]), max: Number(m[2]) };
  }
  const e = f.exitCode.trim();
  if (e) {
    if (!/^-?\d+$/.test(e)) return 'Exit code: a whole number such as 0 or 1603.';
    out.exitCode = Number(e);
  }
  const r = f.failureRate.trim();
  if (r) {
    const n = Number(r);
    if (!(n >= 0 && n <= 1)) return 'Failure rate: a number from 0 to 1.';
    out.failureRate = n;
  }
  if (f.hang) out.hang = true;
  return out;
}

const summary = (b: ItemBehaviour | undefined) => {
  if (!b || Object.keys(b).length === 0) return '';
  const parts = [];
  if (b.hang) parts.push('hangs');
  if (b.durationSeconds !== undefined) parts.push(typeof b.durationSeconds === 'number' ? `${b.durationSeconds} s` : `${b.durationSeconds.min}-${b.durationSeconds.max} s`);
  if (b.exitCode !== undefined) parts.push(`exit ${b.exitCode}`);
  if (b.failureRate !== undefined) parts.push(`fails ${Math.round(b.failureRate * 100)}%`);
  return parts.join(', ');
};

export interface BehaviourEditorProps {
  readonly tenantId: string;
  /** The device the "This device" scope edits. */
  readonly device: SimulatedDevice | undefined;
  readonly onDeviceChanged: () => void;
}

export function BehaviourEditor({ tenantId, device, onDeviceChanged }: BehaviourEditorProps) {
  const styles = useStyles();
  const base = `/tenants/${encodeURIComponent(tenantId)}`;
  const [scope, setScope] = useState<'tenant' | 'device'>('tenant');
  const simulation = useControl<SimulationView>(`${base}/simulation`);
  const items = useLoad(
    async (signal) => {
      const [apps, scripts] = await Promise.all([
        graphAll<Named>('/beta/deviceAppManagement/mobileApps?$select=id,displayName', { signal }),
        graphAll<Named>('/beta/deviceManagement/deviceManagementScripts?$select=id,displayName', { signal }),
      ]);
      const byName = (a: Named, b: Named) => a.displayName.localeCompare(b.displayName);
      return { apps: apps.sort(byName), scripts: scripts.sort(byName) };
    },
    [],
  );
  const [error, setError] = useState<ApiError | undefined>();
  const onDevice = scope === 'device' && device !== undefined;

  const save = async (kind: 'app' | 'script', id: string | 'default', b: ItemBehaviour | null) => {
    setError(undefined);
    try {
      if (onDevice) {
        const key = kind === 'app' ? 'apps' : 'scripts';
        const current = { apps: { ...(device!.behaviour.apps ?? {}) }, scripts: { ...(device!.behaviour.scripts ?? {}) } };
        if (b === null) delete current[key][id];
        else current[key][id] = b;
        await control('PATCH', `${base}/devices/${device!.id}`, { behaviour: current });
        onDeviceChanged();
      } else if (id === 'default') {
        await control('PATCH', `${base}/simulation`, { defaults: { [kind]: b ?? {} } });
        simulation.reload();
      } else {
        await control('PATCH', `${base}/simulation`, { [kind === 'app' ? 'apps' : 'scripts']: { [id]: b } });
        simulation.reload();
      }
    } catch (err) {
      setError(asApiError(err));
      throw err;
    }
  };

  const s = simulation.data;
  const current = (kind: 'app' | 'script', id: string): ItemBehaviour | undefined =>
    onDevice ? (kind === 'app' ? device!.behaviour.apps : device!.behaviour.scripts)?.[id] : kind === 'app' ? s?.apps[id] : s?.scripts[id];

  return (
    <Card className={styles.card} aria-label="Simulated behaviour">
      <CardHeader
        header={<Subtitle2 as="h2">Simulated behaviour</Subtitle2>}
        description={<Text size={200}>How apps and scripts behave when a device installs them. Empty fields use the next level: device, then app or script, then the tenant's defaults.</Text>}
      />
      <TabList size="small" selectedValue={onDevice ? 'device' : 'tenant'} onTabSelect={(_e, d) => setScope(d.value as 'tenant' | 'device')} aria-label="Behaviour scope">
        <Tab value="tenant">Every device</Tab>
        <Tab value="device" disabled={!device}>
          {device ? `This device (${device.serialNumber})` : 'This device'}
        </Tab>
      </TabList>
      <ErrorBar error={error ?? simulation.error ?? items.error} title="Could not save the behaviour" />
      <Table size="small" aria-label="Behaviour of apps and scripts">
        <TableHeader>
          <TableRow>
            <TableHeaderCell style={{ width: '28%' }}>App or script</TableHeaderCell>
            <TableHeaderCell>Duration (s)</TableHeaderCell>
            <TableHeaderCell>Exit code</TableHeaderCell>
            <TableHeaderCell>Failure rate</TableHeaderCell>
            <TableHeaderCell style={{ width: '64px' }}>Hang</TableHeaderCell>
            <TableHeaderCell style={{ width: '150px' }} />
          </TableRow>
        </TableHeader>
        <TableBody>
          {!onDevice && s && (
            <>
              <GroupRow label="Defaults" />
              <BehaviourRow key={`d-app-${JSON.stringify(s.defaults.app)}`} name="Every app" value={s.defaults.app} onSave={(b) => save('app', 'default', b)} canClear={Object.keys(s.defaults.app).length > 0} />
              <BehaviourRow key={`d-script-${JSON.stringify(s.defaults.script)}`} name="Every script" value={s.defaults.script} onSave={(b) => save('script', 'default', b)} canClear={Object.keys(s.defaults.script).length > 0} />
            </>
          )}
          {items.data && (
            <>
              <GroupRow label="Apps" />
              {items.data.apps.map((a) => {
                const v = current('app', a.id);
                return <BehaviourRow key={`${scope}-a-${a.id}-${JSON.stringify(v ?? null)}`} name={a.displayName} value={v} onSave={(b) => save('app', a.id, b)} canClear={v !== undefined} />;
              })}
              <GroupRow label="Scripts" />
              {items.data.scripts.map((x) => {
                const v = current('script', x.id);
                return <BehaviourRow key={`${scope}-s-${x.id}-${JSON.stringify(v ?? null)}`} name={x.displayName} value={v} onSave={(b) => save('script', x.id, b)} canClear={v !== undefined} />;
              })}
            </>
          )}
        </TableBody>
      </Table>
    </Card>
  );
}

function GroupRow({ label }: { readonly label: string }) {
  const styles = useStyles();
  return (
    <TableRow className={styles.heading}>
      <TableCell colSpan={6}>{label}</TableCell>
    </TableRow>
  );
}

function BehaviourRow({ name, value, onSave, canClear }: { readonly name: string; readonly value: ItemBehaviour | undefined; readonly onSave: (b: ItemBehaviour | null) => Promise<void>; readonly canClear: boolean }) {
  const styles = useStyles();
  const [fields, setFields] = useState<Fields>(() => fieldsOf(value));
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const initial = fieldsOf(value);
  const dirty = JSON.stringify(fields) !== JSON.stringify(initial);
  const set = (patch: Partial<Fields>) => {
    setProblem(undefined);
    setFields((f) => ({ ...f, ...patch }));
  };
  const submit = async (b: ItemBehaviour | null) => {
    setBusy(true);
    try {
      await onSave(b);
    } catch {
      // Shown by the editor's error bar.
    } finally {
      setBusy(false);
    }
  };
  const saveFields = () => {
    const b = behaviourOf(fields);
    if (typeof b === 'string') setProblem(b);
    else void submit(b);
  };
  return (
    <TableRow data-behaviour={name}>
      <TableCell>
        <div>{name}</div>
        <Text size={200} className={styles.muted}>
          {problem ?? (summary(value) || 'Not set')}
        </Text>
      </TableCell>
      <TableCell>
        <Input size="small" className={styles.input} aria-label={`Duration of ${name}`} placeholder="60-240" value={fields.duration} onChange={(_e, d) => set({ duration: d.value })} />
      </TableCell>
      <TableCell>
        <Input size="small" className={styles.input} aria-label={`Exit code of ${name}`} placeholder="0" value={fields.exitCode} onChange={(_e, d) => set({ exitCode: d.value })} />
      </TableCell>
      <TableCell>
        <Input size="small" className={styles.input} aria-label={`Failure rate of ${name}`} placeholder="0-1" value={fields.failureRate} onChange={(_e, d) => set({ failureRate: d.value })} />
      </TableCell>
      <TableCell>
        <Checkbox aria-label={`${name} hangs`} checked={fields.hang} onChange={(_e, d) => set({ hang: d.checked === true })} />
      </TableCell>
      <TableCell>
        <div className={styles.actions}>
          <Button size="small" appearance="primary" disabled={busy || !dirty} onClick={saveFields} aria-label={`Save behaviour of ${name}`}>
            Save
          </Button>
          <Button size="small" disabled={busy || !canClear} onClick={() => void submit(null)} aria-label={`Clear behaviour of ${name}`}>
            Clear
          </Button>
        </div>
      </TableCell>
    </TableRow>
  );
}
