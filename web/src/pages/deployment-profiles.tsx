// Deployment profiles of classic Windows Autopilot: the list, and one profile (`?id=`) with its settings,
// its assignments and the devices that get it, each with its profile status. Create and edit in the form.
import { useState } from 'react';
import { Button, Link, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons/svg/add';
import { ArrowClockwiseRegular } from '@fluentui/react-icons/svg/arrow-clockwise';
import { ArrowLeftRegular } from '@fluentui/react-icons/svg/arrow-left';
import { DeleteRegular } from '@fluentui/react-icons/svg/delete';
import { EditRegular } from '@fluentui/react-icons/svg/edit';
import { graph, graphAll, useGraph, useLoad, type GraphList } from '../api';
import { ErrorBar } from '../components/error-bar';
import { Loading } from '../components/loading';
import { Page } from '../components/page';
import { href, navigate, useQuery } from '../router';
import { assignmentSummary, groupIdsOf, targetsOf, useGroupNames } from './autopilot/assignments';
import { DevicePanel, ProfileStatus, type AutopilotDevice } from './autopilot/device-panel';
import { enrollmentStateLabel, formatDate } from './autopilot/labels';
import { PROFILES, ProfileForm, deploymentMode, joinType, localeLabel, type DeploymentProfile } from './autopilot/profile-form';
import { ConfirmDialog, Properties, Section, useUiStyles } from './autopilot/ui';

const BASE = '/devices/deployment-profiles';

export default function DeploymentProfilesPage() {
  const id = useQuery().get('id');
  return id ? <ProfileDetails id={id} /> : <ProfileList />;
}

function ProfileList() {
  const ui = useUiStyles();
  const profiles = useLoad((signal) => graphAll<DeploymentProfile>(`${PROFILES}?$expand=assignments`, { signal }), []);
  const names = useGroupNames((profiles.data ?? []).flatMap((p) => groupIdsOf(p.assignments)));
  const [creating, setCreating] = useState(false);
  const list = [...(profiles.data ?? [])].sort((a, b) => a.displayName.localeCompare(b.displayName));
  return (
    <Page
      title="Deployment profiles"
      description="Windows Autopilot deployment profiles: how a registered device is set up at the out-of-box experience, and the device groups that get each profile."
      actions={
        <>
          <Button appearance="primary" icon={<AddRegular />} onClick={() => setCreating(true)}>
            Create profile
          </Button>
          <Button icon={<ArrowClockwiseRegular />} onClick={profiles.reload}>
            Refresh
          </Button>
        </>
      }
    >
      <ErrorBar error={profiles.error ?? names.error} title="Could not read the profiles" />
      {profiles.loading && !profiles.data && <Loading />}
      {profiles.data && (
        <>
          <Table aria-label="Deployment profiles" size="small" style={{ tableLayout: 'auto' }}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Deployment mode</TableHeaderCell>
                <TableHeaderCell>Join type</TableHeaderCell>
                <TableHeaderCell>Device name template</TableHeaderCell>
                <TableHeaderCell>Assigned to</TableHeaderCell>
                <TableHeaderCell>Created</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.map((p) => (
                <TableRow key={p.id} data-profile={p.displayName}>
                  <TableCell>
                    <Link href={href(`${BASE}?id=${encodeURIComponent(p.id)}`)}>{p.displayName}</Link>
                  </TableCell>
                  <TableCell>{deploymentMode(p)}</TableCell>
                  <TableCell>{joinType(p)}</TableCell>
                  <TableCell>{p.deviceNameTemplate ? <span className={ui.mono}>{p.deviceNameTemplate}</span> : ''}</TableCell>
                  <TableCell>{assignmentSummary(p.assignments, names.data ?? {})}</TableCell>
                  <TableCell>{formatDate(p.createdDateTime)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Text size={200}>{list.length === 0 ? 'No profiles yet.' : `${list.length} ${list.length === 1 ? 'profile' : 'profiles'}. A device in several assigned groups gets the oldest profile.`}</Text>
        </>
      )}
      <ProfileForm
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(id) => {
          profiles.reload();
          navigate(`${BASE}?id=${encodeURIComponent(id)}`);
        }}
      />
    </Page>
  );
}

function ProfileDetails({ id }: { id: string }) {
  const ui = useUiStyles();
  const profile = useGraph<DeploymentProfile>(`${PROFILES}/${encodeURIComponent(id)}?$expand=assignments`);
  const devices = useGraph<GraphList<AutopilotDevice>>(`${PROFILES}/${encodeURIComponent(id)}/assignedDevices`);
  const p = profile.data;
  const names = useGroupNames(groupIdsOf(p?.assignments));
  const [editing, setEditing] = useState<'settings' | 'assignments'>();
  const [deleting, setDeleting] = useState(false);
  const [device, setDevice] = useState<string>();
  const reload = () => {
    profile.reload();
    devices.reload();
  };
  const o = p?.outOfBoxExperienceSetting ?? {};
  const targets = targetsOf(p?.assignments, names.data ?? {});
  const showHide = (hidden: boolean | undefined) => (hidden ? 'Hide' : 'Show');

  return (
    <Page
      title={p?.displayName ?? 'Deployment profile'}
      description={
        <Link href={href(BASE)}>
          <ArrowLeftRegular style={{ verticalAlign: 'middle' }} /> All deployment profiles
        </Link>
      }
      actions={
        <>
          <Button icon={<ArrowClockwiseRegular />} onClick={reload}>
            Refresh
          </Button>
          <Button icon={<DeleteRegular />} onClick={() => setDeleting(true)} disabled={!p}>
            Delete
          </Button>
        </>
      }
    >
      <ErrorBar error={profile.error} title="Could not read the profile" />
      {profile.loading && !p && <Loading />}
      {p && (
        <>
          <Section
            title="Properties"
            actions={
              <Button size="small" icon={<EditRegular />} onClick={() => setEditing('settings')}>
                Edit settings
              </Button>
            }
          >
            <Properties
              items={[
                ['Name', p.displayName],
                ['Description', p.description ?? ''],
                ['Convert all targeted devices to Autopilot', p.hardwareHashExtractionEnabled ? 'Yes' : 'No'],
                ['Deployment mode', deploymentMode(p)],
                ['Join to Microsoft Entra ID as', joinType(p)],
                ['Microsoft Software License Terms', showHide(o.eulaHidden)],
                ['Privacy settings', showHide(o.privacySettingsHidden)],
                ['Hide change account options', showHide(o.escapeLinkHidden)],
                ['User account type', o.userType === 'standard' ? 'Standard' : 'Administrator'],
                ['Allow pre-provisioned deployment', p.preprovisioningAllowed ? 'Yes' : 'No'],
                ['Language (Region)', localeLabel(p.locale)],
                ['Automatically configure keyboard', o.keyboardSelectionPageSkipped ? 'Yes' : 'No'],
                ['Apply device name template', p.deviceNameTemplate ? <span className={ui.mono}>{p.deviceNameTemplate}</span> : 'No'],
                ['Created', formatDate(p.createdDateTime)],
                ['Last modified', formatDate(p.lastModifiedDateTime)],
              ]}
            />
          </Section>
          <Section
            title="Assignments"
            actions={
              <Button size="small" icon={<EditRegular />} onClick={() => setEditing('assignments')}>
                Edit assignments
              </Button>
            }
          >
            <ErrorBar error={names.error} title="Could not read the group names" />
            <Properties
              items={[
                ['Included groups', [...(targets.allDevices ? ['All devices'] : []), ...targets.included.map((g) => g.displayName)].join(', ')],
                ['Excluded groups', targets.excluded.map((g) => g.displayName).join(', ')],
              ]}
            />
          </Section>
          <Section title="Assigned devices">
            <ErrorBar error={devices.error} title="Could not read the devices" />
            {devices.data && devices.data.value.length === 0 && (
              <Text className={ui.muted}>No registered device gets this profile yet: devices get it when they are in an assigned group (a dynamic group picks them up when they are imported).</Text>
            )}
            {devices.data && devices.data.value.length > 0 && (
              <Table aria-label="Assigned devices" size="small" style={{ tableLayout: 'auto' }}>
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Serial number</TableHeaderCell>
                    <TableHeaderCell>Manufacturer</TableHeaderCell>
                    <TableHeaderCell>Model</TableHeaderCell>
                    <TableHeaderCell>Group tag</TableHeaderCell>
                    <TableHeaderCell>Profile status</TableHeaderCell>
                    <TableHeaderCell>Date assigned</TableHeaderCell>
                    <TableHeaderCell>Enrollment state</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {devices.data.value.map((d) => (
                    <TableRow key={d.id} data-serial={d.serialNumber} className={ui.row} onClick={() => setDevice(d.id)}>
                      <TableCell>{d.serialNumber}</TableCell>
                      <TableCell>{d.manufacturer ?? ''}</TableCell>
                      <TableCell>{d.model ?? ''}</TableCell>
                      <TableCell>{d.groupTag}</TableCell>
                      <TableCell data-column="profile-status">
                        <ProfileStatus status={d.deploymentProfileAssignmentStatus} />
                      </TableCell>
                      <TableCell>{formatDate(d.deploymentProfileAssignedDateTime)}</TableCell>
                      <TableCell>{enrollmentStateLabel(d.enrollmentState)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </Section>
        </>
      )}
      <ProfileForm open={editing !== undefined} part={editing} profile={p} assignments={targets} onClose={() => setEditing(undefined)} onSaved={reload} />
      <DevicePanel deviceId={device} onClose={() => setDevice(undefined)} onChanged={reload} />
      <ConfirmDialog
        open={deleting}
        title={`Delete ${p?.displayName ?? 'the profile'}?`}
        confirmLabel="Delete"
        onClose={() => setDeleting(false)}
        onConfirm={async () => {
          await graph('DELETE', `${PROFILES}/${encodeURIComponent(id)}`);
          navigate(BASE);
        }}
      >
        Devices that get this profile get another one, or none, at their next deployment. A profile that is still assigned to groups cannot be deleted: remove its assignments first.
      </ConfirmDialog>
    </Page>
  );
}
