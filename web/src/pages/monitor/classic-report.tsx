// Classic Windows Autopilot deployments, as the "Windows Autopilot deployment status" report lists them, read
// through Graph (GET /beta/deviceManagement/autopilotEvents: one event per classic deployment, kept 30 days).
// Not real time in Intune; here it is read again every few seconds. A row opens the deployment's details.
import { useMemo, useState } from 'react';
import { Badge, Button, SearchBox, Subtitle2, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowSyncRegular } from '@fluentui/react-icons/svg/arrow-sync';
import { graphAll, useLoad } from '../../api';
import { ErrorBar } from '../../components/error-bar';
import { Loading } from '../../components/loading';
import { DeploymentDetailsDrawer } from './deployment-details';
import { dateTimeText, durationText, isoDurationSeconds, plural } from './format';
import { VirtualTable, sortRows, type Column, type SortState } from './virtual-table';

interface AutopilotEvent {
  readonly id: string;
  readonly deviceSerialNumber: string | null;
  readonly managedDeviceName: string | null;
  readonly userPrincipalName: string | null;
  readonly enrollmentStartDateTime: string | null;
  readonly deploymentStartDateTime: string | null;
  readonly deploymentEndDateTime: string | null;
  readonly windowsAutopilotDeploymentProfileDisplayName: string | null;
  readonly windows10EnrollmentCompletionPageConfigurationDisplayName: string | null;
  readonly enrollmentState: string;
  readonly deploymentState: string;
  readonly deviceSetupStatus: string;
  readonly accountSetupStatus: string;
  readonly deploymentDuration: string | null;
  readonly deploymentTotalDuration: string | null;
  readonly osVersion: string | null;
  readonly enrollmentFailureDetails: string | null;
}

const STATE_LABEL: Readonly<Record<string, string>> = {
  unknown: 'Unknown',
  success: 'Success',
  inProgress: 'In progress',
  failure: 'Failure',
  successWithTimeout: 'Success with timeout',
  notAttempted: 'Not attempted',
  disabled: 'Disabled',
  successOnRetry: 'Success on retry',
};

const REFRESH_MS = 3000;

function StateBadge({ state }: { readonly state: string }) {
  const color = state.startsWith('success') ? 'success' : state === 'failure' ? 'danger' : state === 'inProgress' ? 'informative' : 'subtle';
  return (
    <Badge appearance="tint" color={color} shape="rounded">
      {STATE_LABEL[state] ?? state}
    </Badge>
  );
}

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  toolbar: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  spacer: { flexGrow: 1 },
  muted: { color: tokens.colorNeutralForeground3 },
});

const text = (a: string | null, b: string | null) => (a ?? '').localeCompare(b ?? '', 'en', { sensitivity: 'base' });

const COLUMNS: Column<AutopilotEvent>[] = [
  { key: 'device', header: 'Device', width: 'minmax(140px, 1.2fr)', render: (e) => e.managedDeviceName ?? '', compare: (a, b) => text(a.managedDeviceName, b.managedDeviceName) },
  { key: 'serial', header: 'Serial number', width: 'minmax(120px, 1fr)', render: (e) => e.deviceSerialNumber ?? '', compare: (a, b) => text(a.deviceSerialNumber, b.deviceSerialNumber) },
  { key: 'date', header: 'Deployment date', width: 'minmax(170px, 1.2fr)', render: (e) => dateTimeText(e.deploymentStartDateTime), compare: (a, b) => text(a.deploymentStartDateTime, b.deploymentStartDateTime) },
  { key: 'state', header: 'Deployment status', width: 'minmax(130px, 1fr)', render: (e) => <StateBadge state={e.deploymentState} />, compare: (a, b) => text(a.deploymentState, b.deploymentState) },
  { key: 'deviceSetup', header: 'Device setup', width: 'minmax(120px, 0.9fr)', render: (e) => STATE_LABEL[e.deviceSetupStatus] ?? e.deviceSetupStatus },
  { key: 'accountSetup', header: 'Account setup', width: 'minmax(120px, 0.9fr)', render: (e) => STATE_LABEL[e.accountSetupStatus] ?? e.accountSetupStatus },
  { key: 'profile', header: 'Deployment profile', width: 'minmax(150px, 1.2fr)', render: (e) => e.windowsAutopilotDeploymentProfileDisplayName ?? 'Default', compare: (a, b) => text(a.windowsAutopilotDeploymentProfileDisplayName, b.windowsAutopilotDeploymentProfileDisplayName) },
  { key: 'esp', header: 'Enrollment Status Page', width: 'minmax(150px, 1.2fr)', render: (e) => e.windows10EnrollmentCompletionPageConfigurationDisplayName ?? '' },
  {
    key: 'duration',
    header: 'Deployment duration',
    width: 'minmax(110px, 0.9fr)',
    render: (e) => (e.deploymentState === 'inProgress' ? 'In progress' : durationText(isoDurationSeconds(e.deploymentDuration))),
    compare: (a, b) => (isoDurationSeconds(a.deploymentDuration) ?? 0) - (isoDurationSeconds(b.deploymentDuration) ?? 0),
  },
  { key: 'upn', header: 'UPN', width: 'minmax(190px, 1.5fr)', render: (e) => e.userPrincipalName ?? '', compare: (a, b) => text(a.userPrincipalName, b.userPrincipalName) },
  { key: 'os', header: 'OS version', width: 'minmax(120px, 0.9fr)', render: (e) => e.osVersion ?? '' },
];

export function ClassicReport({ tenantId }: { readonly tenantId: string }) {
  const styles = useStyles();
  const events = useLoad((signal) => graphAll<AutopilotEvent>('/beta/deviceManagement/autopilotEvents', { signal }), [], { poll: REFRESH_MS });
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<SortState>({ key: 'date', descending: true });
  const [selected, setSelected] = useState<string | undefined>();
  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    const rows = (events.data ?? []).filter((e) => !q || [e.managedDeviceName, e.deviceSerialNumber, e.userPrincipalName].some((v) => (v ?? '').toLowerCase().includes(q)));
    return sortRows(rows, COLUMNS, sort);
  }, [events.data, search, sort]);

  return (
    <div className={styles.root}>
      <Subtitle2 as="h2">Windows Autopilot deployments</Subtitle2>
      <div className={styles.toolbar}>
        <SearchBox placeholder="Search by device, serial number or UPN" aria-label="Search Autopilot deployments" value={search} onChange={(_e, d) => setSearch(d.value)} style={{ width: 340 }} />
        <Text>{events.data ? plural(events.data.length, 'deployment') : ''}</Text>
        <Text className={styles.muted}>Classic Windows Autopilot (Autopilot-registered devices), from Microsoft Graph's autopilotEvents; kept 30 days.</Text>
        <div className={styles.spacer} />
        <Button icon={<ArrowSyncRegular />} onClick={events.reload}>
          Refresh
        </Button>
      </div>
      <ErrorBar error={events.error} title="Could not read the Autopilot events" />
      {!events.data && !events.error && <Loading label="Reading Autopilot events…" />}
      {events.data && (
        <VirtualTable
          label="Windows Autopilot deployments"
          rows={shown}
          rowKey={(e) => e.id}
          columns={COLUMNS}
          height="max(320px, calc(100vh - 340px))"
          selectedKey={selected}
          onOpen={(e) => setSelected(e.id)}
          sort={sort}
          onSort={setSort}
          empty="No classic Autopilot deployments. Register a device with Windows Autopilot and sign in on it in the device simulator."
        />
      )}
      <DeploymentDetailsDrawer tenantId={tenantId} deploymentId={selected} onClose={() => setSelected(undefined)} />
    </div>
  );
}
