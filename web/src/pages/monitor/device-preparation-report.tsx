// "Windows Autopilot device preparation deployments", as Intune shows it (behaviour.md §4): Device name,
// Enrollment date, Deployment status, Phase, Serial number, Deployment time, UPN; a row opens the device
// deployment details. Live (the store polls every 500 ms) and virtualised, so 10,000 rows scroll smoothly.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Button, Dropdown, Option, SearchBox, Subtitle2, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowSyncRegular } from '@fluentui/react-icons/svg/arrow-sync';
import { ErrorBar } from '../../components/error-bar';
import { Loading } from '../../components/loading';
import { DeploymentDetailsDrawer, StatusBadge } from './deployment-details';
import { isDevicePreparationRow, useStoreVersion, type DeploymentRow, type DeploymentStore } from './deployment-store';
import { STATUS_LABEL, dateTimeText, durationText, phaseLabel, plural } from './format';
import type { DeploymentStatus } from './types';
import { VirtualTable, sortRows, type Column, type SortState } from './virtual-table';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  toolbar: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  spacer: { flexGrow: 1 },
  summary: { display: 'flex', gap: tokens.spacingHorizontalL, alignItems: 'center', flexWrap: 'wrap', color: tokens.colorNeutralForeground2 },
  count: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground1 },
  nameButton: {
    border: 'none',
    background: 'none',
    padding: 0,
    font: 'inherit',
    color: tokens.colorBrandForegroundLink,
    cursor: 'pointer',
    maxWidth: '100%',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    ':hover': { textDecorationLine: 'underline' },
  },
  muted: { color: tokens.colorNeutralForeground3 },
});

const text = (a: string | null, b: string | null) => (a ?? '').localeCompare(b ?? '', 'en', { sensitivity: 'base' });
const STATUS_ORDER: Readonly<Record<DeploymentStatus, number>> = { inProgress: 0, failed: 1, success: 2 };

function columns(open: (r: DeploymentRow) => void, nameClass: string): Column<DeploymentRow>[] {
  return [
    {
      key: 'deviceName',
      header: 'Device name',
      width: 'minmax(150px, 1.3fr)',
      render: (r) => (
        <button
          type="button"
          className={nameClass}
          tabIndex={-1}
          onClick={(e) => {
            e.stopPropagation();
            open(r);
          }}
        >
          {r.deviceName ?? r.serialNumber}
        </button>
      ),
      compare: (a, b) => text(a.deviceName, b.deviceName) || (a.id < b.id ? -1 : 1),
    },
    { key: 'enrolled', header: 'Enrollment date', width: 'minmax(170px, 1.2fr)', render: (r) => dateTimeText(r.enrolledMs), compare: (a, b) => a.enrolledMs - b.enrolledMs || (a.id < b.id ? -1 : 1) },
    { key: 'status', header: 'Deployment status', width: 'minmax(140px, 1fr)', render: (r) => <StatusBadge status={r.status} />, compare: (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || (a.id < b.id ? -1 : 1) },
    { key: 'phase', header: 'Phase', width: 'minmax(140px, 1fr)', render: (r) => phaseLabel(r.phase), compare: (a, b) => text(phaseLabel(a.phase), phaseLabel(b.phase)) || (a.id < b.id ? -1 : 1) },
    { key: 'serialNumber', header: 'Serial number', width: 'minmax(130px, 1fr)', render: (r) => r.serialNumber, compare: (a, b) => text(a.serialNumber, b.serialNumber) },
    {
      key: 'time',
      header: 'Deployment time',
      width: 'minmax(120px, 0.9fr)',
      render: (r) => (r.deploymentTimeSeconds === null ? 'In progress' : durationText(r.deploymentTimeSeconds)),
      compare: (a, b) => (a.deploymentTimeSeconds ?? Number.MAX_SAFE_INTEGER) - (b.deploymentTimeSeconds ?? Number.MAX_SAFE_INTEGER) || (a.id < b.id ? -1 : 1),
    },
    { key: 'upn', header: 'UPN', width: 'minmax(200px, 1.6fr)', render: (r) => r.userPrincipalName, compare: (a, b) => text(a.userPrincipalName, b.userPrincipalName) || (a.id < b.id ? -1 : 1) },
  ];
}

export interface DevicePreparationReportProps {
  readonly tenantId: string;
  readonly store: DeploymentStore;
  /** The tenant's clock (ms), for the 28-day retention; undefined until read. */
  readonly nowMs: number | undefined;
  readonly initialDeploymentId?: string;
}

export function DevicePreparationReport({ tenantId, store, nowMs, initialDeploymentId }: DevicePreparationReportProps) {
  const styles = useStyles();
  const version = useStoreVersion(store);
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<DeploymentStatus | 'all'>('all');
  const [sort, setSort] = useState<SortState>({ key: 'enrolled', descending: true });
  const [selected, setSelected] = useState<string | undefined>(initialDeploymentId);
  // The retention cut-off moves by the minute, not on every clock read.
  const nowMinute = nowMs === undefined ? undefined : Math.floor(nowMs / 60_000) * 60_000;

  const reportRows = useMemo(() => store.all().filter((r) => isDevicePreparationRow(r, nowMinute)), [store, version, nowMinute]);
  const cols = useMemo(() => columns((r) => setSelected(r.id), styles.nameButton), [styles.nameButton]);
  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    const filtered = reportRows.filter(
      (r) =>
        (status === 'all' || r.status === status) &&
        (!q || (r.deviceName ?? '').toLowerCase().includes(q) || r.serialNumber.toLowerCase().includes(q) || r.userPrincipalName.toLowerCase().includes(q)),
    );
    return sortRows(filtered, cols, sort);
  }, [reportRows, search, status, sort, cols]);

  const counts = useMemo(() => {
    const c = { inProgress: 0, success: 0, failed: 0 };
    for (const r of reportRows) c[r.status]++;
    return c;
  }, [reportRows]);

  // The store refreshes first what is in view (and the open deployment).
  const range = useRef({ first: 0, last: 0 });
  const watch = () => {
    const ids = shown.slice(range.current.first, range.current.last).map((r) => r.id);
    store.watch(selected ? [...ids, selected] : ids);
  };
  const watchRef = useRef(watch);
  watchRef.current = watch;
  useEffect(() => watchRef.current(), [shown, selected]);
  const onRange = (first: number, last: number) => {
    range.current = { first, last };
    watchRef.current();
  };

  return (
    <div className={styles.root}>
      <Subtitle2 as="h2">Windows Autopilot device preparation deployments</Subtitle2>
      <div className={styles.toolbar}>
        <SearchBox placeholder="Search by device name, serial number or UPN" aria-label="Search deployments" value={search} onChange={(_e, d) => setSearch(d.value)} style={{ width: 340 }} />
        <Dropdown
            aria-label="Deployment status filter"
            value={status === 'all' ? 'All statuses' : STATUS_LABEL[status]}
            selectedOptions={[status]}
            onOptionSelect={(_e, d) => setStatus((d.optionValue as DeploymentStatus | 'all') ?? 'all')}
            style={{ minWidth: 140 }}
          >
            <Option value="all">All statuses</Option>
            <Option value="inProgress">In progress</Option>
            <Option value="success">Success</Option>
            <Option value="failed">Failed</Option>
          </Dropdown>
        <div className={styles.spacer} />
        <Button icon={<ArrowSyncRegular />} onClick={() => store.refresh()}>
          Refresh
        </Button>
      </div>
      <div className={styles.summary} aria-live="polite">
        <Text>
          <span className={styles.count} data-testid="deployment-count">
            {plural(reportRows.length, 'deployment')}
          </span>
          {shown.length !== reportRows.length && ` (${shown.length.toLocaleString('en-US')} shown)`}
        </Text>
        <Text>In progress: {counts.inProgress.toLocaleString('en-US')}</Text>
        <Text>Success: {counts.success.toLocaleString('en-US')}</Text>
        <Text>Failed: {counts.failed.toLocaleString('en-US')}</Text>
        <Text className={styles.muted}>Times in UTC on the tenant's clock; updated live.</Text>
      </div>
      <ErrorBar error={store.error} title="Could not read the deployments" />
      {store.loading && reportRows.length === 0 && !store.error ? (
        <Loading label="Reading deployments…" />
      ) : (
        <VirtualTable
          label="Windows Autopilot device preparation deployments"
          rows={shown}
          rowKey={(r) => r.id}
          columns={cols}
          height="max(320px, calc(100vh - 380px))"
          selectedKey={selected}
          onOpen={(r) => setSelected(r.id)}
          sort={sort}
          onSort={setSort}
          onRangeChange={onRange}
          empty={reportRows.length === 0 ? 'No device preparation deployments yet. Sign a user in on a simulated device to start one.' : 'No deployment matches.'}
        />
      )}
      <DeploymentDetailsDrawer tenantId={tenantId} deploymentId={selected} onClose={() => setSelected(undefined)} onRead={(d) => store.put(d)} />
    </div>
  );
}
