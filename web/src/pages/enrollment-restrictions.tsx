// Enrollment restrictions: Windows device platform restrictions (allow or block Windows MDM and personally
// owned devices, OS versions) and device limit restrictions, each list in priority order with the default
// at the bottom, as the portal shows them. The default's Windows settings are the windowsRestriction of the
// all-platforms default configuration.
import { useState } from 'react';
import { Badge, Button, Link, Tab, TabList, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons/svg/add';
import { ArrowClockwiseRegular } from '@fluentui/react-icons/svg/arrow-clockwise';
import { graph, graphAll, useLoad, type ApiError } from '../api';
import { ErrorBar } from '../components/error-bar';
import { Loading } from '../components/loading';
import { Page } from '../components/page';
import { useQuery, navigate } from '../router';
import { assignmentSummary, groupIdsOf, targetsOf, useGroupNames } from './autopilot/assignments';
import { CONFIGURATIONS, RowActions, isDefault, priorityLabel, type EnrollmentConfiguration } from './autopilot/enrollment';
import { LIMIT_TYPE, PLATFORMS_TYPE, SINGLE_PLATFORM_TYPE, byPortalPriority, formatDate } from './autopilot/labels';
import { DeviceLimitForm, PlatformRestrictionForm, windowsRestrictionOf } from './autopilot/restriction-forms';
import { ConfirmDialog } from './autopilot/ui';

const BASE = '/devices/enrollment-restrictions';
type Kind = 'platform' | 'limit';

const allowBlock = (blocked: boolean | undefined) => (blocked ? <Badge appearance="tint" color="danger">Block</Badge> : <Badge appearance="tint" color="success">Allow</Badge>);

export default function EnrollmentRestrictionsPage() {
  const tab: Kind = useQuery().get('tab') === 'limit' ? 'limit' : 'platform';
  const filter = encodeURIComponent(
    "deviceEnrollmentConfigurationType eq 'limit' or deviceEnrollmentConfigurationType eq 'singlePlatformRestriction' or deviceEnrollmentConfigurationType eq 'platformRestrictions'",
  );
  const configs = useLoad((signal) => graphAll<EnrollmentConfiguration>(`${CONFIGURATIONS}?$filter=${filter}&$expand=assignments`, { signal }), []);
  const all = configs.data ?? [];
  const platform = all.filter((c) => (c['@odata.type'] === SINGLE_PLATFORM_TYPE && c.platformType === 'windows') || c['@odata.type'] === PLATFORMS_TYPE).sort(byPortalPriority);
  const limits = all.filter((c) => c['@odata.type'] === LIMIT_TYPE).sort(byPortalPriority);
  const list = tab === 'platform' ? platform : limits;
  const names = useGroupNames(all.flatMap((c) => groupIdsOf(c.assignments)));
  const [editing, setEditing] = useState<EnrollmentConfiguration | 'new'>();
  const [deleting, setDeleting] = useState<EnrollmentConfiguration>();
  const [error, setError] = useState<ApiError>();
  const custom = list.filter((c) => !isDefault(c)).length;
  const current = editing && editing !== 'new' ? all.find((c) => c.id === editing.id) ?? editing : undefined;
  const formProps = {
    open: editing !== undefined,
    config: current,
    assignments: current ? targetsOf(current.assignments, names.data ?? {}) : undefined,
    onClose: () => setEditing(undefined),
    onSaved: configs.reload,
  };

  return (
    <Page
      title="Enrollment restrictions"
      description="Which users may enroll which Windows devices, and how many. A user gets the highest-priority restriction assigned to one of their groups, else the default."
      actions={
        <>
          <Button appearance="primary" icon={<AddRegular />} onClick={() => setEditing('new')}>
            {tab === 'platform' ? 'Create restriction' : 'Create device limit restriction'}
          </Button>
          <Button icon={<ArrowClockwiseRegular />} onClick={configs.reload}>
            Refresh
          </Button>
        </>
      }
    >
      <TabList selectedValue={tab} onTabSelect={(_, d) => navigate(d.value === 'limit' ? `${BASE}?tab=limit` : BASE)}>
        <Tab value="platform">Device platform restriction</Tab>
        <Tab value="limit">Device limit restriction</Tab>
      </TabList>
      <ErrorBar error={configs.error} title="Could not read the restrictions" />
      <ErrorBar error={error} title="Could not change the priority" />
      <ErrorBar error={names.error} title="Could not read the group names" />
      {configs.loading && !configs.data && <Loading />}
      {configs.data && tab === 'platform' && (
        <Table aria-label="Windows restrictions" size="small" style={{ tableLayout: 'auto' }}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell style={{ width: 80 }}>Priority</TableHeaderCell>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Windows (MDM)</TableHeaderCell>
              <TableHeaderCell>Personally owned</TableHeaderCell>
              <TableHeaderCell>OS versions</TableHeaderCell>
              <TableHeaderCell>Assigned to</TableHeaderCell>
              <TableHeaderCell>Last modified</TableHeaderCell>
              <TableHeaderCell style={{ width: 48 }} />
            </TableRow>
          </TableHeader>
          <TableBody>
            {list.map((c) => {
              const r = windowsRestrictionOf(c);
              const versions = [r?.osMinimumVersion || '', r?.osMaximumVersion || ''];
              return (
                <TableRow key={c.id} data-restriction={c.displayName} data-priority={priorityLabel(c)}>
                  <TableCell>{priorityLabel(c)}</TableCell>
                  <TableCell>
                    <Link as="button" onClick={() => setEditing(c)}>
                      {c.displayName}
                    </Link>
                  </TableCell>
                  <TableCell data-column="mdm">{allowBlock(r?.platformBlocked)}</TableCell>
                  <TableCell data-column="personal">{r?.platformBlocked ? '' : allowBlock(r?.personalDeviceEnrollmentBlocked)}</TableCell>
                  <TableCell>{versions[0] || versions[1] ? `${versions[0] || 'any'} – ${versions[1] || 'any'}` : 'Any'}</TableCell>
                  <TableCell>{isDefault(c) ? 'All users' : assignmentSummary(c.assignments, names.data ?? {})}</TableCell>
                  <TableCell>{formatDate(c.lastModifiedDateTime)}</TableCell>
                  <TableCell>
                    <RowActions config={c} count={custom} onEdit={() => setEditing(c)} onDelete={() => setDeleting(c)} onChanged={configs.reload} onError={setError} />
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      {configs.data && tab === 'limit' && (
        <Table aria-label="Device limit restrictions" size="small" style={{ tableLayout: 'auto' }}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell style={{ width: 80 }}>Priority</TableHeaderCell>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Device limit</TableHeaderCell>
              <TableHeaderCell>Assigned to</TableHeaderCell>
              <TableHeaderCell>Last modified</TableHeaderCell>
              <TableHeaderCell style={{ width: 48 }} />
            </TableRow>
          </TableHeader>
          <TableBody>
            {list.map((c) => (
              <TableRow key={c.id} data-restriction={c.displayName} data-priority={priorityLabel(c)}>
                <TableCell>{priorityLabel(c)}</TableCell>
                <TableCell>
                  <Link as="button" onClick={() => setEditing(c)}>
                    {c.displayName}
                  </Link>
                </TableCell>
                <TableCell data-column="limit">{String(c.limit)}</TableCell>
                <TableCell>{isDefault(c) ? 'All users' : assignmentSummary(c.assignments, names.data ?? {})}</TableCell>
                <TableCell>{formatDate(c.lastModifiedDateTime)}</TableCell>
                <TableCell>
                  <RowActions config={c} count={custom} onEdit={() => setEditing(c)} onDelete={() => setDeleting(c)} onChanged={configs.reload} onError={setError} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {configs.data && (
        <Text size={200}>
          {custom} custom {custom === 1 ? 'restriction' : 'restrictions'} (at most 25) above the default, which applies to everyone else.
        </Text>
      )}
      {tab === 'platform' ? <PlatformRestrictionForm {...formProps} /> : <DeviceLimitForm {...formProps} />}
      <ConfirmDialog
        open={deleting !== undefined}
        title={`Delete ${deleting?.displayName ?? ''}?`}
        confirmLabel="Delete"
        onClose={() => setDeleting(undefined)}
        onConfirm={async () => {
          await graph('DELETE', `${CONFIGURATIONS}/${encodeURIComponent(deleting!.id)}`);
          configs.reload();
        }}
      >
        Its users get the next restriction by priority, or the default.
      </ConfirmDialog>
    </Page>
  );
}
