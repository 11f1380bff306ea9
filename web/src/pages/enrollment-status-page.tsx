// Enrollment Status Page: the profiles in priority order (the default last, as the portal lists it), each
// with whether it shows progress and whom it is assigned to; create and edit them, reorder them with
// setPriority, delete custom ones.
import { useState } from 'react';
import { Badge, Button, Link, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons/svg/add';
import { ArrowClockwiseRegular } from '@fluentui/react-icons/svg/arrow-clockwise';
import { graph, graphAll, useLoad, type ApiError } from '../api';
import { ErrorBar } from '../components/error-bar';
import { Loading } from '../components/loading';
import { Page } from '../components/page';
import { assignmentSummary, groupIdsOf, targetsOf, useGroupNames } from './autopilot/assignments';
import { CONFIGURATIONS, RowActions, isDefault, priorityLabel, type EnrollmentConfiguration } from './autopilot/enrollment';
import { EspForm } from './autopilot/esp-form';
import { ESP_TYPE, byPortalPriority, formatDate } from './autopilot/labels';
import { ConfirmDialog } from './autopilot/ui';

export default function EnrollmentStatusPagePage() {
  const filter = encodeURIComponent("deviceEnrollmentConfigurationType eq 'windows10EnrollmentCompletionPageConfiguration'");
  const profiles = useLoad((signal) => graphAll<EnrollmentConfiguration>(`${CONFIGURATIONS}?$filter=${filter}&$expand=assignments`, { signal }), []);
  const list = [...(profiles.data ?? [])].filter((c) => c['@odata.type'] === ESP_TYPE).sort(byPortalPriority);
  const names = useGroupNames(list.flatMap((c) => groupIdsOf(c.assignments)));
  const [editing, setEditing] = useState<EnrollmentConfiguration | 'new'>();
  const [deleting, setDeleting] = useState<EnrollmentConfiguration>();
  const [error, setError] = useState<ApiError>();
  const custom = list.filter((c) => !isDefault(c)).length;
  const current = editing && editing !== 'new' ? list.find((c) => c.id === editing.id) ?? editing : undefined;

  return (
    <Page
      title="Enrollment Status Page"
      description="What a device shows while it is set up, what blocks it, and who gets which page. A device gets the highest-priority profile assigned to it, else the user's, else the default."
      actions={
        <>
          <Button appearance="primary" icon={<AddRegular />} onClick={() => setEditing('new')}>
            Create
          </Button>
          <Button icon={<ArrowClockwiseRegular />} onClick={profiles.reload}>
            Refresh
          </Button>
        </>
      }
    >
      <ErrorBar error={profiles.error} title="Could not read the profiles" />
      <ErrorBar error={error} title="Could not change the priority" />
      <ErrorBar error={names.error} title="Could not read the group names" />
      {profiles.loading && !profiles.data && <Loading />}
      {profiles.data && (
        <>
          <Table aria-label="Enrollment Status Page profiles" size="small" style={{ tableLayout: 'auto' }}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell style={{ width: 80 }}>Priority</TableHeaderCell>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Show progress</TableHeaderCell>
                <TableHeaderCell>Block device use</TableHeaderCell>
                <TableHeaderCell>Timeout</TableHeaderCell>
                <TableHeaderCell>Assigned to</TableHeaderCell>
                <TableHeaderCell>Last modified</TableHeaderCell>
                <TableHeaderCell style={{ width: 48 }} />
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.map((c) => (
                <TableRow key={c.id} data-profile={c.displayName} data-priority={priorityLabel(c)}>
                  <TableCell>{priorityLabel(c)}</TableCell>
                  <TableCell>
                    <Link as="button" onClick={() => setEditing(c)}>
                      {c.displayName}
                    </Link>
                  </TableCell>
                  <TableCell>{c.showInstallationProgress ? <Badge appearance="tint" color="success">Yes</Badge> : <Badge appearance="tint">No</Badge>}</TableCell>
                  <TableCell>{c.showInstallationProgress ? (c.blockDeviceSetupRetryByUser ? 'No' : 'Yes') : ''}</TableCell>
                  <TableCell>{c.showInstallationProgress ? `${String(c.installProgressTimeoutInMinutes)} minutes` : ''}</TableCell>
                  <TableCell>{isDefault(c) ? 'All users and all devices' : assignmentSummary(c.assignments, names.data ?? {})}</TableCell>
                  <TableCell>{formatDate(c.lastModifiedDateTime)}</TableCell>
                  <TableCell>
                    <RowActions config={c} count={custom} onEdit={() => setEditing(c)} onDelete={() => setDeleting(c)} onChanged={profiles.reload} onError={setError} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Text size={200}>
            {custom} custom {custom === 1 ? 'profile' : 'profiles'} (at most 50) and the default.
          </Text>
        </>
      )}
      <EspForm
        open={editing !== undefined}
        config={current}
        assignments={current ? targetsOf(current.assignments, names.data ?? {}) : undefined}
        onClose={() => setEditing(undefined)}
        onSaved={profiles.reload}
      />
      <ConfirmDialog
        open={deleting !== undefined}
        title={`Delete ${deleting?.displayName ?? ''}?`}
        confirmLabel="Delete"
        onClose={() => setDeleting(undefined)}
        onConfirm={async () => {
          await graph('DELETE', `${CONFIGURATIONS}/${encodeURIComponent(deleting!.id)}`);
          profiles.reload();
        }}
      >
        Devices and users it was assigned to get the next profile by priority, or the default. Devices that already have it keep it.
      </ConfirmDialog>
    </Page>
  );
}
