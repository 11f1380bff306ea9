// One Windows Autopilot device: its properties and profile, and what the portal lets an admin change —
// the device name and group tag (updateDeviceProperties), the assigned user (assignUserToDevice /
// unassignUserFromDevice) — and deleting its registration.
import { useEffect, useState } from 'react';
import { Badge, Button, Field, Input, Text } from '@fluentui/react-components';
import { asApiError, graph, useGraph, type ApiError } from '../../api';
import { ErrorBar } from '../../components/error-bar';
import { Loading } from '../../components/loading';
import { enrollmentStateLabel, formatDate, isProfileAssigned, profileStatusLabel } from './labels';
import { deviceNameProblem } from './name-template';
import { UserPicker, type UserRef } from './pickers';
import { ConfirmDialog, FormDrawer, Properties, Section, useUiStyles } from './ui';

export interface AutopilotDevice {
  readonly id: string;
  readonly serialNumber: string;
  readonly manufacturer: string | null;
  readonly model: string | null;
  readonly groupTag: string;
  readonly purchaseOrderIdentifier?: string;
  readonly productKey?: string;
  readonly displayName: string;
  readonly userPrincipalName: string;
  readonly addressableUserName: string;
  readonly enrollmentState: string;
  readonly lastContactedDateTime: string;
  readonly deploymentProfileAssignmentStatus?: string;
  readonly deploymentProfileAssignedDateTime?: string;
  readonly azureAdDeviceId?: string;
  readonly managedDeviceId?: string;
  readonly deploymentProfile?: { id: string; displayName: string } | null;
}

export const DEVICES = '/beta/deviceManagement/windowsAutopilotDeviceIdentities';

export function ProfileStatus({ status }: { status: string | undefined }) {
  const label = profileStatusLabel(status);
  return (
    <Badge appearance="tint" color={isProfileAssigned(status) ? 'success' : label === 'Not assigned' ? 'informative' : 'warning'}>
      {label}
    </Badge>
  );
}

export function DevicePanel({ deviceId, onClose, onChanged }: { deviceId: string | undefined; onClose: () => void; onChanged: () => void }) {
  const ui = useUiStyles();
  const device = useGraph<AutopilotDevice>(deviceId ? `${DEVICES}/${deviceId}?$expand=deploymentProfile` : null);
  const d = device.data;
  const [name, setName] = useState('');
  const [groupTag, setGroupTag] = useState('');
  const [friendly, setFriendly] = useState('');
  const [user, setUser] = useState<UserRef>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [confirmDelete, setConfirmDelete] = useState(false);

  useEffect(() => {
    if (!d) return;
    setName(d.displayName ?? '');
    setGroupTag(d.groupTag ?? '');
    setFriendly('');
    setUser(undefined);
  }, [d]);
  useEffect(() => setError(undefined), [deviceId]);

  const nameProblem = deviceNameProblem(name);
  const changed = !!d && (name !== (d.displayName ?? '') || groupTag !== (d.groupTag ?? ''));

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      device.reload();
      onChanged();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const saveProperties = () =>
    run(() => {
      const body: Record<string, string> = {};
      if (name !== (d!.displayName ?? '')) body.displayName = name;
      if (groupTag !== (d!.groupTag ?? '')) body.groupTag = groupTag;
      return graph('POST', `${DEVICES}/${deviceId}/updateDeviceProperties`, body);
    });
  const assign = () =>
    run(async () => {
      await graph('POST', `${DEVICES}/${deviceId}/assignUserToDevice`, { userPrincipalName: user!.userPrincipalName, addressableUserName: friendly || user!.displayName });
      setUser(undefined);
      setFriendly('');
    });
  const unassign = () => run(() => graph('POST', `${DEVICES}/${deviceId}/unassignUserFromDevice`));

  return (
    <FormDrawer
      open={deviceId !== undefined}
      title={d ? `Device ${d.serialNumber}` : 'Device'}
      size="medium"
      onClose={onClose}
      footer={
        <Button onClick={() => setConfirmDelete(true)} disabled={!d || busy}>
          Delete
        </Button>
      }
    >
      <ErrorBar error={device.error} title="Could not read the device" />
      <ErrorBar error={error} title="The service refused the change" />
      {device.loading && !d && <Loading />}
      {d && (
        <>
          <Properties
            items={[
              ['Serial number', d.serialNumber],
              ['Manufacturer', d.manufacturer ?? ''],
              ['Model', d.model ?? ''],
              ['Purchase order', d.purchaseOrderIdentifier ?? ''],
              ['Profile status', <ProfileStatus status={d.deploymentProfileAssignmentStatus} />],
              ['Assigned profile', d.deploymentProfile?.displayName ?? ''],
              ['Date assigned', formatDate(d.deploymentProfileAssignedDateTime)],
              ['Enrollment state', enrollmentStateLabel(d.enrollmentState)],
              ['Last contacted', formatDate(d.lastContactedDateTime)],
              ['Microsoft Entra device ID', d.azureAdDeviceId ?? ''],
            ]}
          />
          <Section title="Properties">
            <Field label="Device name" hint="Given to the device at setup, instead of the profile's name template. 15 characters or less: letters, numbers and hyphens." validationMessage={nameProblem}>
              <Input value={name} onChange={(_, v) => setName(v.value)} />
            </Field>
            <Field label="Group tag" hint="Written to the device's [OrderID] attribute, which dynamic groups can select on.">
              <Input value={groupTag} onChange={(_, v) => setGroupTag(v.value)} />
            </Field>
            <div>
              <Button appearance="primary" disabled={!changed || !!nameProblem || busy} onClick={saveProperties}>
                Save properties
              </Button>
            </div>
          </Section>
          <Section title="Assigned user">
            {d.userPrincipalName ? (
              <div className={ui.toolbar}>
                <Text>
                  {d.userPrincipalName}
                  {d.addressableUserName ? ` (${d.addressableUserName})` : ''}
                </Text>
                <Button onClick={unassign} disabled={busy}>
                  Unassign user
                </Button>
              </div>
            ) : (
              <Text className={ui.muted}>No user is assigned: anyone of the tenant can sign in at setup.</Text>
            )}
            <UserPicker label={d.userPrincipalName ? 'Assign another user' : 'Assign a user'} onPick={setUser} hint="Pre-fills the user's name at sign-in on supported devices; it does not change which profile applies." />
            {user && (
              <>
                <Field label="User friendly name" hint="The greeting shown at sign-in.">
                  <Input value={friendly} placeholder={user.displayName} onChange={(_, v) => setFriendly(v.value)} />
                </Field>
                <div className={ui.toolbar}>
                  <Button appearance="primary" onClick={assign} disabled={busy}>
                    Assign {user.userPrincipalName}
                  </Button>
                  <Button onClick={() => setUser(undefined)}>Cancel</Button>
                </div>
              </>
            )}
          </Section>
        </>
      )}
      <ConfirmDialog
        open={confirmDelete}
        title="Delete the device?"
        confirmLabel="Delete"
        onClose={() => setConfirmDelete(false)}
        onConfirm={async () => {
          await graph('DELETE', `${DEVICES}/${deviceId}`);
          onChanged();
          onClose();
        }}
      >
        The device {d?.serialNumber} is removed from Windows Autopilot: at its next setup it gets no profile. A device enrolled in Intune must be deleted from Intune first.
      </ConfirmDialog>
    </FormDrawer>
  );
}
