// Device simulator: simulated devices at the out-of-box experience. Create one (serial number, manufacturer,
// model, Windows edition and build), sign a user in on its screen and watch setup on the device's own screen,
// live (read every 500 ms): the percentage, the Enrollment Status Page, the failure screen with its buttons,
// "Required setup complete", the desktop. Beside it the tenant's virtual clock and the simulated behaviour of
// apps and scripts. The device is in the address (`#/simulator?device=<serial>`).
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Badge, Button, Card, CardHeader, Link, SearchBox, Subtitle2, Text, makeStyles, tokens } from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons/svg/add';
import { ArrowResetRegular } from '@fluentui/react-icons/svg/arrow-reset';
import { asApiError, control, useControl, useLoad, type ApiError } from '../api';
import { ErrorBar } from '../components/error-bar';
import { Loading } from '../components/loading';
import { Page } from '../components/page';
import { href, navigate, useQuery } from '../router';
import { useSignedIn } from '../session';
import { StatusBadge } from './monitor/deployment-details';
import { ACTION_PATH, PATH_LABEL, durationText, phaseLabel, plural } from './monitor/format';
import { listDevices } from './monitor/pickers';
import type { ClockView, Deployment, SimulatedDevice, UserAction } from './monitor/types';
import { VirtualTable, type Column } from './monitor/virtual-table';
import { BehaviourEditor } from './simulator/behaviour';
import { ClockControls } from './simulator/clock';
import { NewDeviceForm } from './simulator/new-device';
import { OobeScreen, type SignInValues } from './simulator/oobe-screen';

const LIVE_MS = 500;

const useStyles = makeStyles({
  layout: { display: 'grid', gridTemplateColumns: '320px minmax(0, 1fr)', gap: tokens.spacingHorizontalL, alignItems: 'start' },
  side: { padding: tokens.spacingHorizontalM, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  main: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: 0 },
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  spacer: { flexGrow: 1 },
  muted: { color: tokens.colorNeutralForeground3 },
  column: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: 0 },
  card: { padding: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  facts: { display: 'grid', gridTemplateColumns: '130px 1fr 130px 1fr', rowGap: tokens.spacingVerticalXS, columnGap: tokens.spacingHorizontalM, margin: 0 },
  term: { color: tokens.colorNeutralForeground3 },
  value: { margin: 0, overflowWrap: 'anywhere' },
});

const STATE_LABEL: Readonly<Record<SimulatedDevice['state'], string>> = { oobe: 'OOBE', settingUp: 'Setting up', desktop: 'Desktop' };

function StateBadge({ state }: { readonly state: SimulatedDevice['state'] }) {
  return (
    <Badge appearance="tint" shape="rounded" color={state === 'desktop' ? 'success' : state === 'settingUp' ? 'brand' : 'subtle'} title={state === 'oobe' ? 'At the out-of-box experience' : undefined}>
      {STATE_LABEL[state]}
    </Badge>
  );
}

const DEVICE_COLUMNS: Column<SimulatedDevice>[] = [
  { key: 'serial', header: 'Serial number', width: 'minmax(120px, 1.2fr)', render: (d) => d.serialNumber },
  { key: 'state', header: 'State', width: 'minmax(100px, 1fr)', render: (d) => <StateBadge state={d.state} /> },
];

export default function DeviceSimulatorPage() {
  const styles = useStyles();
  const { tenant } = useSignedIn();
  const base = `/tenants/${encodeURIComponent(tenant.tenantId)}`;
  const query = useQuery();
  const selectedKey = query.get('device') ?? undefined;
  const [creating, setCreating] = useState(false);
  const [search, setSearch] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ title: string; error: ApiError } | undefined>();
  const [lastUser, setLastUser] = useState('');

  const [large, setLarge] = useState(false);
  const devices = useLoad(
    async (signal) => {
      const list = await listDevices(tenant.tenantId, signal);
      setLarge(list.length > 2000);
      return list;
    },
    [tenant.tenantId],
    { poll: large ? 30_000 : 3000 },
  );
  const device = useControl<SimulatedDevice>(selectedKey ? `${base}/devices/${encodeURIComponent(selectedKey)}` : null, { poll: LIVE_MS });
  const d = device.data;
  const deployment = useControl<Deployment>(d?.deploymentId ? `${base}/deployments/${d.deploymentId}` : null, { poll: LIVE_MS });
  const clock = useControl<ClockView>(`${base}/clock`, { poll: 1000 });
  // The answer for another deployment than the device's (just after a sign-in) is not shown.
  const current = deployment.data && deployment.data.id === d?.deploymentId ? deployment.data : undefined;

  const shownDevices = useMemo(() => {
    const q = search.trim().toLowerCase();
    const list = devices.data ?? [];
    return (q ? list.filter((x) => x.serialNumber.toLowerCase().includes(q) || x.model.toLowerCase().includes(q)) : list).slice().reverse();
  }, [devices.data, search]);

  // The states in the list follow a change at once, unless the list is long (then it is read every 30 s).
  const refreshList = () => !large && devices.reload();
  // Another device: the last error was about the one before.
  useEffect(() => setError(undefined), [selectedKey]);

  const select = (x: SimulatedDevice) => navigate(`/simulator?device=${encodeURIComponent(x.serialNumber)}`);

  const call = async (title: string, fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
    } catch (err) {
      setError({ title, error: asApiError(err) });
    } finally {
      setBusy(false);
      device.reload();
      deployment.reload();
      refreshList();
    }
  };

  const signIn = (v: SignInValues) =>
    call('Could not sign in', async () => {
      setLastUser(v.userPrincipalName);
      await control('POST', `${base}/devices/${d!.id}/sign-in`, v);
    });
  const act = (a: UserAction) => call('The device did not accept that', () => control('POST', `${base}/deployments/${current!.id}/${ACTION_PATH[a]}`));
  const reset = () => call('Could not reset the device', () => control('POST', `${base}/devices/${d!.id}/reset`));

  const explainHref = d ? href(`/monitor?tab=explain&device=${encodeURIComponent(d.serialNumber)}${current || lastUser ? `&user=${encodeURIComponent(current?.userPrincipalName ?? lastUser)}` : ''}`) : undefined;

  return (
    <Page
      title="Device simulator"
      description="Simulated devices at the out-of-box experience: sign a user in and watch setup on the device's screen, on the tenant's virtual clock."
      actions={
        <Button appearance="primary" icon={<AddRegular />} onClick={() => setCreating(true)}>
          New device
        </Button>
      }
    >
      <div className={styles.layout}>
        <div className={styles.column}>
          <Card className={styles.side} aria-label="Simulated devices">
            {creating || (devices.data && devices.data.length === 0) ? (
              <>
                <Subtitle2 as="h2">New device</Subtitle2>
                <NewDeviceForm
                  tenantId={tenant.tenantId}
                  onCreated={(x) => {
                    setCreating(false);
                    devices.reload();
                    select(x);
                  }}
                  onCancel={() => setCreating(false)}
                />
              </>
            ) : (
              <>
                <Subtitle2 as="h2">Devices</Subtitle2>
                <SearchBox aria-label="Search devices" placeholder="Serial number or model" value={search} onChange={(_e, v) => setSearch(v.value)} />
                <ErrorBar error={devices.error} title="Could not list the devices" />
                {devices.data ? (
                  <>
                    <VirtualTable
                      label="Simulated devices"
                      rows={shownDevices}
                      rowKey={(x) => x.id}
                      columns={DEVICE_COLUMNS}
                      height="360px"
                      rowHeight={36}
                      selectedKey={d?.id}
                      onOpen={select}
                    />
                    <Text size={200} className={styles.muted}>
                      {plural(devices.data.length, 'device')}, newest first
                    </Text>
                  </>
                ) : (
                  <Loading />
                )}
              </>
            )}
          </Card>
          <ClockControls
            tenantId={tenant.tenantId}
            clock={clock}
            deploymentId={current?.running || current?.stage === 'setupComplete' ? current.id : undefined}
            onMoved={() => {
              device.reload();
              deployment.reload();
              refreshList();
            }}
          />
        </div>

        <div className={styles.main}>
          {!selectedKey && <Text className={styles.muted}>Create a device or pick one from the list.</Text>}
          <ErrorBar error={device.error} title="Could not read the device" />
          {error && <ErrorBar error={error.error} title={error.title} />}
          {d && (
            <>
              <div className={styles.header}>
                <Subtitle2 as="h2">{d.serialNumber}</Subtitle2>
                <Text className={styles.muted}>
                  {d.manufacturer} {d.model} · Windows {d.windowsEdition} {d.osVersion}
                  {d.tpmPresent ? ' · TPM 2.0' : ' · no TPM'}
                </Text>
                <StateBadge state={d.state} />
                <div className={styles.spacer} />
                {explainHref && <Link href={explainHref}>Explain</Link>}
                {current && <Link href={href(`/monitor?tab=deployments&deployment=${current.id}`)}>Open in Monitor</Link>}
                <Button icon={<ArrowResetRegular />} disabled={busy || (d.state === 'oobe' && !current)} onClick={() => void reset()}>
                  Reset device
                </Button>
              </div>
              <OobeScreen
                key={d.id}
                deployment={current}
                atOobe={d.state === 'oobe'}
                onSignIn={signIn}
                onAction={act}
                busy={busy}
                now={clock.data?.now}
                defaultUser={lastUser}
              />
            </>
          )}
          {current && <DeploymentSummary deployment={current} />}
          <BehaviourEditor tenantId={tenant.tenantId} device={d} onDeviceChanged={device.reload} />
        </div>
      </div>
    </Page>
  );
}

function DeploymentSummary({ deployment: x }: { readonly deployment: Deployment }) {
  const styles = useStyles();
  const fact = (term: string, value: ReactNode) => (
    <>
      <dt className={styles.term}>{term}</dt>
      <dd className={styles.value}>{value ?? '—'}</dd>
    </>
  );
  const installing = [...x.apps, ...x.scripts].find((i) => i.status === 'inProgress');
  return (
    <Card className={styles.card} aria-label="Deployment">
      <CardHeader header={<Subtitle2 as="h2">Deployment</Subtitle2>} />
      <dl className={styles.facts}>
        {fact('Status', <StatusBadge status={x.status} />)}
        {fact('Path', x.path === 'blocked' ? `Blocked (${PATH_LABEL[x.intendedPath ?? ''] ?? 'sign-in'})` : PATH_LABEL[x.path])}
        {fact('Policy or profile', x.policy?.name ?? x.profile?.displayName ?? x.enrollmentStatusPage?.displayName ?? null)}
        {fact('Phase', x.running ? phaseLabel(x.phase) : null)}
        {fact('Installing', installing ? installing.displayName : null)}
        {fact('Progress', `${x.progressPercentage}%`)}
        {fact('Attempt', x.attempt)}
        {fact('Deployment time', x.deploymentTimeSeconds === null ? 'In progress' : durationText(x.deploymentTimeSeconds))}
        {x.error && fact('Error', `${x.error.message} (${x.error.code})`)}
      </dl>
    </Card>
  );
}
