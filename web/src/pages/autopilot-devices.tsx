// Windows Autopilot devices: the registered devices with their profile status, assigned user and enrollment
// state; Import of the portal's CSV (with per-row results), Sync, and each device's actions in its panel.
import { useState } from 'react';
import { Button, Input, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import { ArrowUploadRegular } from '@fluentui/react-icons/svg/arrow-upload';
import { ArrowSyncRegular } from '@fluentui/react-icons/svg/arrow-sync';
import { ArrowClockwiseRegular } from '@fluentui/react-icons/svg/arrow-clockwise';
import { SearchRegular } from '@fluentui/react-icons/svg/search';
import { asApiError, graph, useGraph, type ApiError } from '../api';
import { ErrorBar } from '../components/error-bar';
import { Loading } from '../components/loading';
import { Page } from '../components/page';
import { DEVICES, DevicePanel, ProfileStatus, type AutopilotDevice } from './autopilot/device-panel';
import { ImportPanel } from './autopilot/import-panel';
import { enrollmentStateLabel, formatDate } from './autopilot/labels';
import { usePagedGraph } from './autopilot/paging';
import { odataString, useDebounced, useUiStyles } from './autopilot/ui';

const PAGE = 100;
const SETTINGS = '/beta/deviceManagement/windowsAutopilotSettings';

interface AutopilotSettings {
  readonly lastSyncDateTime: string;
  readonly lastManualSyncTriggerDateTime: string;
  readonly syncStatus: string;
}

export default function AutopilotDevicesPage() {
  const ui = useUiStyles();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim());
  const filter = q ? `&$filter=${encodeURIComponent(`contains(serialNumber,${odataString(q)})`)}` : '';
  const devices = usePagedGraph<AutopilotDevice>(`${DEVICES}?$top=${PAGE}&$count=true${filter}`);
  const settings = useGraph<AutopilotSettings>(SETTINGS);
  const [importing, setImporting] = useState(false);
  const [selected, setSelected] = useState<string>();
  const [syncing, setSyncing] = useState(false);
  const [syncError, setSyncError] = useState<ApiError>();

  const sync = async () => {
    setSyncing(true);
    setSyncError(undefined);
    try {
      await graph('POST', `${SETTINGS}/sync`);
      settings.reload();
      devices.reload();
    } catch (err) {
      setSyncError(asApiError(err));
    } finally {
      setSyncing(false);
    }
  };

  const items = devices.items;
  return (
    <Page
      title="Windows Autopilot devices"
      description="Devices registered with Windows Autopilot: import their hardware hashes, set group tags and users, and see which deployment profile each gets."
      actions={
        <>
          <Button appearance="primary" icon={<ArrowUploadRegular />} onClick={() => setImporting(true)}>
            Import
          </Button>
          <Button icon={<ArrowSyncRegular />} onClick={sync} disabled={syncing}>
            Sync
          </Button>
          <Button icon={<ArrowClockwiseRegular />} onClick={devices.reload}>
            Refresh
          </Button>
        </>
      }
    >
      <ErrorBar error={syncError} title="Could not sync" />
      <ErrorBar error={devices.error} title="Could not read the devices" />
      <div className={ui.toolbar} style={{ justifyContent: 'space-between' }}>
        <Input
          aria-label="Search by serial number"
          contentBefore={<SearchRegular />}
          value={search}
          onChange={(_, d) => setSearch(d.value)}
          placeholder="Search by serial number"
          style={{ minWidth: 280 }}
        />
        {settings.data && (
          <Text size={200} className={ui.muted} aria-label="Sync status">
            Last sync request: {formatDate(settings.data.lastManualSyncTriggerDateTime) || 'never'} · Last successful sync: {formatDate(settings.data.lastSyncDateTime) || 'never'}
          </Text>
        )}
      </div>
      {devices.loading && !items && <Loading />}
      {items && (
        <>
          <Table aria-label="Windows Autopilot devices" size="small" style={{ tableLayout: 'auto' }}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Serial number</TableHeaderCell>
                <TableHeaderCell>Manufacturer</TableHeaderCell>
                <TableHeaderCell>Model</TableHeaderCell>
                <TableHeaderCell>Group tag</TableHeaderCell>
                <TableHeaderCell>Profile status</TableHeaderCell>
                <TableHeaderCell>Assigned user</TableHeaderCell>
                <TableHeaderCell>Enrollment state</TableHeaderCell>
                <TableHeaderCell>Last contacted</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((d) => (
                <TableRow key={d.id} data-serial={d.serialNumber} className={ui.row} onClick={() => setSelected(d.id)}>
                  <TableCell>
                    <Button appearance="transparent" size="small" style={{ padding: 0, minWidth: 0 }} onClick={() => setSelected(d.id)}>
                      {d.serialNumber}
                    </Button>
                  </TableCell>
                  <TableCell>{d.manufacturer ?? ''}</TableCell>
                  <TableCell>{d.model ?? ''}</TableCell>
                  <TableCell>{d.groupTag}</TableCell>
                  <TableCell data-column="profile-status">
                    <ProfileStatus status={d.deploymentProfileAssignmentStatus} />
                  </TableCell>
                  <TableCell>{d.userPrincipalName}</TableCell>
                  <TableCell>{enrollmentStateLabel(d.enrollmentState)}</TableCell>
                  <TableCell>{formatDate(d.lastContactedDateTime)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <div className={ui.toolbar}>
            <Text size={200}>
              {items.length === 0
                ? q
                  ? 'No device matches.'
                  : 'No devices yet: import their hardware hashes.'
                : `${items.length}${devices.count !== undefined ? ` of ${devices.count}` : ''} ${devices.count === 1 ? 'device' : 'devices'}.`}
            </Text>
            {devices.hasMore && (
              <Button size="small" onClick={devices.loadMore} disabled={devices.loading}>
                Load more
              </Button>
            )}
          </div>
        </>
      )}
      <ImportPanel open={importing} onClose={() => setImporting(false)} onImported={devices.reload} />
      <DevicePanel deviceId={selected} onClose={() => setSelected(undefined)} onChanged={devices.reload} />
    </Page>
  );
}
