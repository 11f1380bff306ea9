// The Enrollment Status Page form: Basics, Settings as the portal shows them (the rest appear once "Show app
// and profile configuration progress" is Yes; the blocking options once "Block device use" is Yes), and the
// Assignments of a custom profile. The default profile ("All users and all devices") has settings only.
import { useEffect, useState } from 'react';
import { Button, Field, Input, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Textarea } from '@fluentui/react-components';
import { DeleteRegular } from '@fluentui/react-icons/svg/delete';
import { graph, graphAll, useLoad } from '../../api';
import { AssignmentsEditor, NO_TARGETS, graphTargets, type Targets } from './assignments';
import { CONFIGURATIONS, assignConfiguration, isDefault, type EnrollmentConfiguration } from './enrollment';
import { ESP_TYPE } from './labels';
import { AppPicker, appKind, type AppRef } from './pickers';
import { Choice, FormDrawer, Section, YesNo, useUiStyles } from './ui';

export const DEFAULT_ERROR_MESSAGE = 'Setup could not be completed. Please try again or contact your support person for help.';
const MAX_TIMEOUT = 1440;
const MAX_MESSAGE = 10000;
const MAX_APPS = 100;

interface FormState {
  readonly displayName: string;
  readonly description: string;
  readonly show: boolean;
  readonly timeout: string;
  readonly customMessage: boolean;
  readonly message: string;
  readonly logs: boolean;
  readonly oobeOnly: boolean;
  readonly qualityUpdates: boolean;
  readonly block: boolean;
  readonly allowReset: boolean;
  readonly allowUse: boolean;
  readonly apps: 'all' | 'selected';
  readonly selected: readonly AppRef[];
}

function stateOf(c: EnrollmentConfiguration | undefined, names: Readonly<Record<string, AppRef>>): FormState {
  const message = typeof c?.customErrorMessage === 'string' ? c.customErrorMessage : '';
  const ids = Array.isArray(c?.selectedMobileAppIds) ? (c.selectedMobileAppIds as string[]) : [];
  const timeout = Number(c?.installProgressTimeoutInMinutes ?? 60);
  return {
    displayName: c?.displayName ?? '',
    description: c?.description ?? '',
    // A new profile starts as Microsoft recommends: progress shown.
    show: c ? c.showInstallationProgress === true : true,
    timeout: String(timeout > 0 ? timeout : 60),
    customMessage: message !== '',
    message: message || DEFAULT_ERROR_MESSAGE,
    logs: c ? c.allowLogCollectionOnInstallFailure === true : true,
    oobeOnly: c ? c.disableUserStatusTrackingAfterFirstUser === true : true,
    // "Yes is the default on new profiles and No on existing ones".
    qualityUpdates: c ? c.installQualityUpdates === true : true,
    block: c ? c.blockDeviceSetupRetryByUser !== true : true,
    allowReset: c ? c.allowDeviceResetOnInstallFailure === true : true,
    allowUse: c ? c.allowDeviceUseOnInstallFailure === true : true,
    apps: ids.length > 0 ? 'selected' : 'all',
    selected: ids.map((id) => names[id.toLowerCase()] ?? { id, displayName: id }),
  };
}

type Problems = Partial<Record<'displayName' | 'timeout' | 'message' | 'apps', string>>;

function problemsOf(s: FormState): Problems {
  const p: Problems = {};
  if (s.displayName.trim() === '') p.displayName = 'Enter a name.';
  if (s.show) {
    const t = Number(s.timeout);
    if (!/^\d+$/.test(s.timeout.trim()) || t < 1 || t > MAX_TIMEOUT) p.timeout = `Enter a whole number of minutes from 1 to ${MAX_TIMEOUT}.`;
    if (s.customMessage && s.message.trim() === '') p.message = 'Enter the message, or choose No.';
    if (s.customMessage && s.message.length > MAX_MESSAGE) p.message = `The message can have at most ${MAX_MESSAGE} characters; it has ${s.message.length}.`;
    if (s.block && s.apps === 'selected') {
      if (s.selected.length === 0) p.apps = 'Select at least one app, or choose All.';
      if (s.selected.length > MAX_APPS) p.apps = `Select at most ${MAX_APPS} apps.`;
    }
  }
  return p;
}

function bodyOf(s: FormState, existing: EnrollmentConfiguration | undefined): Record<string, unknown> {
  const settings = s.show
    ? {
        installProgressTimeoutInMinutes: Number(s.timeout),
        customErrorMessage: s.customMessage ? s.message : '',
        allowLogCollectionOnInstallFailure: s.logs,
        disableUserStatusTrackingAfterFirstUser: s.oobeOnly,
        installQualityUpdates: s.qualityUpdates,
        // "Block device use until all apps and profiles are installed": No is Graph's blockDeviceSetupRetryByUser.
        blockDeviceSetupRetryByUser: !s.block,
        allowDeviceResetOnInstallFailure: s.block && s.allowReset,
        allowDeviceUseOnInstallFailure: s.block && s.allowUse,
        selectedMobileAppIds: s.block && s.apps === 'selected' ? s.selected.map((a) => a.id) : [],
      }
    : {};
  return {
    '@odata.type': ESP_TYPE,
    ...(existing && isDefault(existing) ? {} : { displayName: s.displayName.trim() }),
    description: s.description,
    showInstallationProgress: s.show,
    ...settings,
    ...(existing ? {} : { roleScopeTagIds: ['0'], trackInstallProgressForAutopilotOnly: false, allowNonBlockingAppInstallation: false }),
  };
}

/** The names of the apps a profile lists (read once, for the form). */
function useAppNames(ids: readonly string[], open: boolean) {
  const key = ids.join(',');
  return useLoad<Record<string, AppRef>>(
    !open || ids.length === 0
      ? async () => ({})
      : async (signal) => {
          const apps = await graphAll<AppRef>('/beta/deviceAppManagement/mobileApps?$select=id,displayName', { signal });
          return Object.fromEntries(apps.map((a) => [a.id.toLowerCase(), a]));
        },
    [key, open],
  );
}

export interface EspFormProps {
  readonly open: boolean;
  readonly config?: EnrollmentConfiguration;
  readonly assignments?: Targets;
  readonly onClose: () => void;
  readonly onSaved: () => void;
}

export function EspForm({ open, config, assignments, onClose, onSaved }: EspFormProps) {
  const ui = useUiStyles();
  const ids = Array.isArray(config?.selectedMobileAppIds) ? (config.selectedMobileAppIds as string[]) : [];
  const appNames = useAppNames(ids, open);
  const [s, setS] = useState<FormState>(() => stateOf(config, {}));
  const [targets, setTargets] = useState<Targets>(assignments ?? NO_TARGETS);
  const [createdId, setCreatedId] = useState<string>();
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    if (!open) return;
    setS(stateOf(config, appNames.data ?? {}));
    setTargets(assignments ?? NO_TARGETS);
    setCreatedId(undefined);
    setTouched(false);
  }, [open, appNames.data]);

  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setS((prev) => ({ ...prev, [k]: v }));
  const problems = problemsOf(s);
  const builtIn = !!config && isDefault(config);

  const save = async () => {
    let id = config?.id ?? createdId;
    if (id) await graph('PATCH', `${CONFIGURATIONS}/${encodeURIComponent(id)}`, bodyOf(s, config));
    else {
      const created = await graph<EnrollmentConfiguration>('POST', CONFIGURATIONS, bodyOf(s, undefined));
      id = created.id;
      setCreatedId(id);
    }
    if (!builtIn) await assignConfiguration(id, graphTargets(targets));
    onSaved();
  };

  return (
    <FormDrawer
      open={open}
      title={config ? `Edit ${config.displayName}` : 'Create Enrollment Status Page profile'}
      size="large"
      onClose={onClose}
      onSave={save}
      saveLabel={config ? 'Save' : 'Create'}
      canSave={Object.keys(problems).length === 0}
    >
      <Section title="Basics">
        <Field label="Name" required validationMessage={touched ? problems.displayName : undefined} hint={builtIn ? 'The default profile applies to everyone no other profile targets; its name cannot change.' : undefined}>
          <Input value={s.displayName} disabled={builtIn} onChange={(_, d) => set('displayName', d.value)} onBlur={() => setTouched(true)} />
        </Field>
        <Field label="Description">
          <Textarea value={s.description} onChange={(_, d) => set('description', d.value)} resize="vertical" />
        </Field>
      </Section>
      <Section title="Settings">
        <YesNo
          label="Show app and profile configuration progress"
          value={s.show}
          onChange={(v) => set('show', v)}
          hint="The page shows what is installing during setup; No lets the user reach the desktop while it installs."
        />
        {s.show && (
          <div className={ui.nested}>
            <Field label="Show an error when installation takes longer than specified number of minutes" required validationMessage={problems.timeout}>
              <Input type="number" min={1} max={MAX_TIMEOUT} value={s.timeout} onChange={(_, d) => set('timeout', d.value)} style={{ maxWidth: 160 }} />
            </Field>
            <YesNo label="Show custom message when time limit or error occurs" value={s.customMessage} onChange={(v) => set('customMessage', v)} hint={s.customMessage ? undefined : `Windows shows: ${DEFAULT_ERROR_MESSAGE}`} />
            {s.customMessage && (
              <Field label="Custom message" required validationMessage={problems.message}>
                <Textarea value={s.message} onChange={(_, d) => set('message', d.value)} resize="vertical" />
              </Field>
            )}
            <YesNo label="Turn on log collection and diagnostics page for end users" value={s.logs} onChange={(v) => set('logs', v)} />
            <YesNo
              label="Only show page to devices provisioned by out-of-box experience (OOBE)"
              value={s.oobeOnly}
              onChange={(v) => set('oobeOnly', v)}
              hint="Yes: only the first user who signs in sees the page."
            />
            <YesNo label="Install Windows quality updates (might restart the device)" value={s.qualityUpdates} onChange={(v) => set('qualityUpdates', v)} />
            <YesNo label="Block device use until all apps and profiles are installed" value={s.block} onChange={(v) => set('block', v)} />
            {s.block && (
              <div className={ui.nested}>
                <YesNo label="Allow users to reset device if installation error occurs" value={s.allowReset} onChange={(v) => set('allowReset', v)} />
                <YesNo label="Allow users to use device if installation error occurs" value={s.allowUse} onChange={(v) => set('allowUse', v)} />
                <Choice
                  label="Block device use until these required apps are installed if they are assigned to the user/device"
                  value={s.apps}
                  options={[
                    ['all', 'All'],
                    ['selected', 'Selected'],
                  ]}
                  onChange={(v) => set('apps', v)}
                />
                {s.apps === 'selected' && (
                  <>
                    <AppPicker
                      label="Blocking apps"
                      exclude={new Set(s.selected.map((a) => a.id))}
                      onPick={(a) => set('selected', [...s.selected, a])}
                      hint={`Up to ${MAX_APPS} apps. Only apps assigned as required to the user or device are installed.`}
                    />
                    {problems.apps && (
                      <Text role="alert" style={{ color: 'var(--colorPaletteRedForeground1)' }}>
                        {problems.apps}
                      </Text>
                    )}
                    {s.selected.length > 0 && (
                      <Table aria-label="Blocking apps" size="small">
                        <TableHeader>
                          <TableRow>
                            <TableHeaderCell>App</TableHeaderCell>
                            <TableHeaderCell>Type</TableHeaderCell>
                            <TableHeaderCell style={{ width: 48 }} />
                          </TableRow>
                        </TableHeader>
                        <TableBody>
                          {s.selected.map((a) => (
                            <TableRow key={a.id}>
                              <TableCell>{a.displayName}</TableCell>
                              <TableCell>{appKind(a)}</TableCell>
                              <TableCell>
                                <Button
                                  appearance="subtle"
                                  size="small"
                                  icon={<DeleteRegular />}
                                  aria-label={`Remove ${a.displayName}`}
                                  onClick={() => set('selected', s.selected.filter((x) => x.id !== a.id))}
                                />
                              </TableCell>
                            </TableRow>
                          ))}
                        </TableBody>
                      </Table>
                    )}
                  </>
                )}
              </div>
            )}
          </div>
        )}
      </Section>
      <Section title="Assignments">
        {builtIn ? (
          <Text className={ui.muted}>The default profile applies to all users and all devices, with the lowest priority; it cannot be assigned.</Text>
        ) : (
          <AssignmentsEditor
            value={targets}
            onChange={setTargets}
            allDevices
            allUsers
            hint="A profile assigned to a device group applies at device setup; one assigned to a user group applies when no device profile does."
          />
        )}
      </Section>
    </FormDrawer>
  );
}
