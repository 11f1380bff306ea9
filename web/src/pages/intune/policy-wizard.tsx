// The device preparation policy wizard, in the portal's order: Introduction, Deployment settings, Out-of-box
// experience settings, Apps, Scripts, Assignments, Device group, Review + create. Each page is checked as
// the portal checks it before the next one opens. Saving creates (or, for an existing policy, replaces) the
// policy with every setting of the template, sets its device group with setEnrollmentTimeDeviceMembershipTarget
// (a group the service refuses gets the portal's error, and the policy is kept without one), then assigns it
// to the user groups.
import { useState, type ReactNode } from 'react';
import {
  Button,
  Checkbox,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Option,
  Radio,
  RadioGroup,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Textarea,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { DeleteRegular } from '@fluentui/react-icons/svg/delete';
import { AddRegular } from '@fluentui/react-icons/svg/add';
import { asApiError, graph, type ApiError } from '../../api';
import { ErrorBar } from '../../components/error-bar';
import { GROUP_TARGET, GroupPicker, appTypeName, groupName, installContext, isDynamic, isSecurityGroup, useFormStyles, yesNo, type Group, type MobileApp, type Target } from './common';
import type { Script } from './add-script-dialog';
import {
  ALLOWED_APP_TYPES,
  MAX_APPS,
  MAX_SCRIPTS,
  TARGET_ERRORS,
  TIMEOUT_MAX,
  TIMEOUT_MIN,
  checkDraft,
  deviceGroupProblem,
  policyBody,
  type PageErrors,
  type PolicyDraft,
} from './device-preparation';

export const POLICIES = '/beta/deviceManagement/configurationPolicies';

export type StepId = 'intro' | 'deployment' | 'oobe' | 'apps' | 'scripts' | 'assignments' | 'deviceGroup' | 'review';

const STEPS: readonly { id: StepId; title: string; fields: readonly (keyof PageErrors)[] }[] = [
  { id: 'intro', title: 'Introduction', fields: ['name'] },
  { id: 'deployment', title: 'Deployment settings', fields: [] },
  { id: 'oobe', title: 'Out-of-box experience settings', fields: ['timeout', 'customErrorMessage'] },
  { id: 'apps', title: 'Apps', fields: ['apps'] },
  { id: 'scripts', title: 'Scripts', fields: ['scripts'] },
  { id: 'assignments', title: 'Assignments', fields: [] },
  { id: 'deviceGroup', title: 'Device group', fields: ['deviceGroupId'] },
  { id: 'review', title: 'Review + create', fields: [] },
];

const useStyles = makeStyles({
  wizard: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  steps: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS, listStyleType: 'none', margin: 0, padding: 0, borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`, paddingBottom: tokens.spacingVerticalS },
  step: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  number: {
    display: 'inline-flex',
    alignItems: 'center',
    justifyContent: 'center',
    width: '20px',
    height: '20px',
    borderRadius: tokens.borderRadiusCircular,
    fontSize: tokens.fontSizeBase100,
    backgroundColor: tokens.colorNeutralBackground3,
    color: tokens.colorNeutralForeground2,
  },
  current: { backgroundColor: tokens.colorBrandBackground, color: tokens.colorNeutralForegroundOnBrand },
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '960px', minHeight: '280px' },
  footer: { display: 'flex', gap: tokens.spacingHorizontalS, borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`, paddingTop: tokens.spacingVerticalM },
  review: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
});

export interface WizardData {
  readonly apps: readonly MobileApp[];
  readonly scripts: readonly Script[];
  readonly groups: readonly Group[];
}

export interface PolicyWizardProps {
  readonly initial: PolicyDraft;
  readonly data: WizardData;
  /** Editing an existing policy: every page can be opened, and saving replaces it. */
  readonly policyId?: string;
  readonly startAt?: StepId;
  /** The device group's validation when it was read (editing): a problem is shown on the Device group page. */
  readonly deviceGroupCode?: string;
  /** Assignments the wizard does not edit (excluded groups, all users), kept when it saves. */
  readonly otherTargets?: readonly Target[];
  readonly onSaved: (policyId: string) => void;
  readonly onCancel: () => void;
}

export function PolicyWizard({ initial, data, policyId: existingId, startAt = 'intro', deviceGroupCode, otherTargets = [], onSaved, onCancel }: PolicyWizardProps) {
  const styles = useStyles();
  const [d, setDraft] = useState<PolicyDraft>(initial);
  const [step, setStep] = useState<StepId>(startAt);
  const [reached, setReached] = useState(existingId ? STEPS.length - 1 : STEPS.findIndex((s) => s.id === startAt));
  const [errors, setErrors] = useState<PageErrors>({});
  const [policyId, setPolicyId] = useState(existingId);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [groupProblem, setGroupProblem] = useState<{ name: string; code: string } | null>(null);
  const editing = policyId !== undefined;
  const index = STEPS.findIndex((s) => s.id === step);

  const update = (patch: Partial<PolicyDraft>) => {
    setDraft((x) => ({ ...x, ...patch }));
    if ('deviceGroupId' in patch) setGroupProblem(null);
    setErrors((x) => {
      const next = { ...x };
      for (const k of Object.keys(patch)) delete next[k as keyof PageErrors];
      return next;
    });
  };

  /** The current page's problems; shown, and true when there are none. */
  const pageValid = (i: number) => {
    const found = checkDraft(d);
    const mine = Object.fromEntries(STEPS[i]!.fields.filter((f) => found[f]).map((f) => [f, found[f]]));
    setErrors(mine);
    return Object.keys(mine).length === 0;
  };

  const go = (to: number) => {
    if (to > index) {
      // Forward only through pages that pass.
      for (let i = index; i < to; i++) {
        if (!pageValid(i)) {
          setStep(STEPS[i]!.id);
          return;
        }
      }
    }
    setErrors({});
    setStep(STEPS[to]!.id);
    setReached((r) => Math.max(r, to));
  };

  const save = async () => {
    const found = checkDraft(d);
    const first = STEPS.findIndex((s) => s.fields.some((f) => found[f]));
    if (first >= 0) {
      setStep(STEPS[first]!.id);
      setErrors(Object.fromEntries(STEPS[first]!.fields.filter((f) => found[f]).map((f) => [f, found[f]])));
      return;
    }
    setBusy(true);
    setError(undefined);
    setGroupProblem(null);
    try {
      let id = policyId;
      if (id === undefined) {
        const created = await graph<{ id: string }>('POST', POLICIES, policyBody(d));
        id = created.id;
        setPolicyId(id);
      } else {
        await graph('PUT', `${POLICIES}/${encodeURIComponent(id)}`, policyBody(d));
      }
      const path = `${POLICIES}/${encodeURIComponent(id)}`;
      const answer = await graph<any>('POST', `${path}/setEnrollmentTimeDeviceMembershipTarget`, {
        enrollmentTimeDeviceMembershipTargets: [{ '@odata.type': 'microsoft.graph.enrollmentTimeDeviceMembershipTarget', targetType: 'staticSecurityGroup', targetId: d.deviceGroupId }],
      });
      const result = answer?.value ?? answer;
      if (!result?.validationSucceeded) {
        const code = String(result?.enrollmentTimeDeviceMembershipTargetValidationStatuses?.[0]?.targetValidationErrorCode ?? 'unknown');
        setGroupProblem({ name: d.name.trim(), code });
        return;
      }
      await graph('POST', `${path}/assign`, {
        assignments: [
          ...d.userGroupIds.map((groupId) => ({ id: '', source: 'direct', target: { '@odata.type': GROUP_TARGET, groupId, deviceAndAppManagementAssignmentFilterType: 'none' } })),
          ...otherTargets.map((target) => ({ id: '', source: 'direct', target })),
        ],
      });
      onSaved(id);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const pages: Record<StepId, () => ReactNode> = {
    intro: () => <Introduction d={d} update={update} errors={errors} />,
    deployment: () => <DeploymentSettings d={d} update={update} />,
    oobe: () => <OobeSettings d={d} update={update} errors={errors} />,
    apps: () => <AppsPage d={d} update={update} errors={errors} apps={data.apps} />,
    scripts: () => <ScriptsPage d={d} update={update} errors={errors} scripts={data.scripts} />,
    assignments: () => <AssignmentsPage d={d} update={update} groups={data.groups} />,
    deviceGroup: () => <DeviceGroupPage d={d} update={update} errors={errors} groups={data.groups} code={d.deviceGroupId === initial.deviceGroupId ? deviceGroupCode : undefined} />,
    review: () => <Review d={d} data={data} />,
  };
  const last = index === STEPS.length - 1;
  const title = (s: (typeof STEPS)[number]) => (s.id === 'review' && editing ? 'Review + save' : s.title);

  return (
    <div className={styles.wizard}>
      <nav aria-label="Policy wizard">
        <ol className={styles.steps}>
          {STEPS.map((s, i) => (
            <li key={s.id} className={styles.step}>
              <Button
                appearance="transparent"
                size="small"
                aria-current={s.id === step ? 'step' : undefined}
                disabled={i > reached || busy}
                onClick={() => go(i)}
                icon={<span className={mergeClasses(styles.number, s.id === step && styles.current)}>{i + 1}</span>}
              >
                {s.id === step ? <strong>{title(s)}</strong> : title(s)}
              </Button>
            </li>
          ))}
        </ol>
      </nav>
      <section className={styles.body} aria-labelledby="wizard-step-title">
        <Subtitle2 as="h2" id="wizard-step-title">
          {title(STEPS[index]!)}
        </Subtitle2>
        {groupProblem && (
          <MessageBar intent="error" layout="multiline" role="alert">
            <MessageBarBody>
              <MessageBarTitle>{deviceGroupProblem(groupProblem.name)}</MessageBarTitle>
              {TARGET_ERRORS[groupProblem.code] ?? groupProblem.code} The policy is saved without a device group: choose an assigned security group owned by the Intune Provisioning Client on the Device group page, then save again.
            </MessageBarBody>
          </MessageBar>
        )}
        {!groupProblem && !existingId && policyId !== undefined && (
          <MessageBar intent="info" layout="multiline">
            <MessageBarBody>The policy {d.name.trim()} was created without a device group: save to set its device group and assignments.</MessageBarBody>
          </MessageBar>
        )}
        <ErrorBar error={error} title={editing ? 'Could not save the policy' : 'Could not create the policy'} />
        {pages[step]()}
      </section>
      <div className={styles.footer}>
        {last ? (
          <Button appearance="primary" disabled={busy} onClick={() => void save()}>
            {busy ? 'Saving…' : editing ? 'Save' : 'Create'}
          </Button>
        ) : (
          <Button appearance="primary" disabled={busy} onClick={() => go(index + 1)}>
            Next
          </Button>
        )}
        {index > 0 && (
          <Button disabled={busy} onClick={() => go(index - 1)}>
            Previous
          </Button>
        )}
        <Button appearance="subtle" disabled={busy} onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </div>
  );
}

interface PageProps {
  readonly d: PolicyDraft;
  readonly update: (patch: Partial<PolicyDraft>) => void;
  readonly errors?: PageErrors;
}

function Introduction({ d, update, errors = {} }: PageProps) {
  const f = useFormStyles();
  return (
    <div className={f.form}>
      <Text>
        Windows Autopilot device preparation sets up a new Windows device as the user signs in during the out-of-box experience: it joins the device to Microsoft
        Entra ID, enrolls it in Intune, adds it to the policy's device group, and installs the selected apps and scripts before the desktop appears.
      </Text>
      <Text className={f.muted}>
        Before you start: an assigned security device group owned by the Intune Provisioning Client, a user group, and the apps and scripts assigned to the
        device group (Required, System context).
      </Text>
      <Field label="Name" required validationMessage={errors.name}>
        <Input value={d.name} onChange={(_e, v) => update({ name: v.value })} />
      </Field>
      <Field label="Description">
        <Textarea value={d.description} onChange={(_e, v) => update({ description: v.value })} resize="vertical" />
      </Field>
    </div>
  );
}

/** A setting with one possible value, shown as the portal shows it: a choice that cannot change. */
function Fixed({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Field label={label} hint={hint}>
      <Dropdown value={value} selectedOptions={[value]} disabled>
        <Option value={value}>{value}</Option>
      </Dropdown>
    </Field>
  );
}

function DeploymentSettings({ d, update }: PageProps) {
  const f = useFormStyles();
  return (
    <div className={f.form}>
      <Fixed label="Deployment mode" value="User-driven" />
      <Fixed label="Deployment type" value="Single user" />
      <Fixed label="Join type" value="Microsoft Entra joined" hint="Device preparation supports Microsoft Entra join only." />
      <Field label="User account type" hint="Whether the user who sets up the device is a local administrator of it.">
        <Dropdown
          value={d.accountType === 'administrator' ? 'Administrator' : 'Standard User'}
          selectedOptions={[d.accountType]}
          onOptionSelect={(_e, v) => v.optionValue && update({ accountType: v.optionValue as PolicyDraft['accountType'] })}
        >
          <Option value="standardUser">Standard User</Option>
          <Option value="administrator">Administrator</Option>
        </Dropdown>
      </Field>
    </div>
  );
}

function YesNo({ label, value, onChange, hint }: { label: string; value: boolean; onChange: (v: boolean) => void; hint?: string }) {
  return (
    <Field label={label} hint={hint}>
      <RadioGroup layout="horizontal" value={value ? 'yes' : 'no'} onChange={(_e, v) => onChange(v.value === 'yes')}>
        <Radio value="yes" label="Yes" />
        <Radio value="no" label="No" />
      </RadioGroup>
    </Field>
  );
}

function OobeSettings({ d, update, errors = {} }: PageProps) {
  const f = useFormStyles();
  return (
    <div className={f.form}>
      <Field
        label="Minutes allowed before showing installation error"
        required
        validationMessage={errors.timeout}
        hint={`From ${TIMEOUT_MIN} to ${TIMEOUT_MAX} minutes, for the whole deployment.`}
      >
        <Input type="number" min={TIMEOUT_MIN} max={TIMEOUT_MAX} value={d.timeout} onChange={(_e, v) => update({ timeout: v.value })} style={{ maxWidth: '160px' }} />
      </Field>
      <Field label="Custom error message" validationMessage={errors.customErrorMessage} hint="Shown to the user when the deployment fails.">
        <Textarea value={d.customErrorMessage} onChange={(_e, v) => update({ customErrorMessage: v.value })} resize="vertical" />
      </Field>
      <YesNo label="Allow users to skip setup after multiple attempts" value={d.allowSkip} onChange={(v) => update({ allowSkip: v })} />
      <YesNo label="Show link to diagnostics" value={d.allowDiagnostics} onChange={(v) => update({ allowDiagnostics: v })} />
    </div>
  );
}

function AppsPage({ d, update, errors = {}, apps }: PageProps & { readonly apps: readonly MobileApp[] }) {
  const f = useFormStyles();
  const supported = apps.filter((a) => ALLOWED_APP_TYPES.includes(a['@odata.type']));
  const chosen = new Set(d.apps.map((a) => a.id));
  const full = d.apps.length >= MAX_APPS;
  const toggle = (a: MobileApp, on: boolean) => update({ apps: on ? [...d.apps, { id: a.id, type: a['@odata.type'] }] : d.apps.filter((x) => x.id !== a.id) });
  return (
    <div className={f.section}>
      <Text>
        Allowed applications: the apps the device installs during setup, before the desktop appears (up to {MAX_APPS}). Supported types: Win32, line-of-business
        (MSI), Microsoft Store (WinGet), Microsoft 365 Apps and Enterprise App Catalog apps. Each must also be assigned as Required to the device group.
      </Text>
      <Text weight="semibold" aria-live="polite">
        {d.apps.length} of {MAX_APPS} apps selected
      </Text>
      {full && <Text className={f.muted}>That is the most a policy can install during setup: clear one to choose another.</Text>}
      {errors.apps && <Text style={{ color: tokens.colorPaletteRedForeground1 }}>{errors.apps}</Text>}
      {supported.length === 0 ? (
        <Text className={f.muted}>No app of a supported type yet: add them under Apps first.</Text>
      ) : (
        <Table aria-label="Allowed applications" size="small" style={{ tableLayout: 'auto' }}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell style={{ width: '44px' }} />
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Type</TableHeaderCell>
              <TableHeaderCell>Publisher</TableHeaderCell>
              <TableHeaderCell>Install context</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {supported.map((a) => (
              <TableRow key={a.id}>
                <TableCell>
                  <Checkbox aria-label={`Select ${a.displayName}`} checked={chosen.has(a.id)} disabled={!chosen.has(a.id) && full} onChange={(_e, v) => toggle(a, v.checked === true)} />
                </TableCell>
                <TableCell>{a.displayName}</TableCell>
                <TableCell>{appTypeName(a['@odata.type'])}</TableCell>
                <TableCell>{a.publisher ?? ''}</TableCell>
                <TableCell>{installContext(a)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}

function ScriptsPage({ d, update, errors = {}, scripts }: PageProps & { readonly scripts: readonly Script[] }) {
  const f = useFormStyles();
  const chosen = new Set(d.scripts);
  const full = d.scripts.length >= MAX_SCRIPTS;
  const toggle = (s: Script, on: boolean) => update({ scripts: on ? [...d.scripts, s.id] : d.scripts.filter((x) => x !== s.id) });
  return (
    <div className={f.section}>
      <Text>
        Allowed scripts: the PowerShell scripts the device runs during setup (up to {MAX_SCRIPTS}). Each must also be assigned to the device group and run as
        System.
      </Text>
      <Text weight="semibold" aria-live="polite">
        {d.scripts.length} of {MAX_SCRIPTS} scripts selected
      </Text>
      {full && <Text className={f.muted}>That is the most a policy can run during setup: clear one to choose another.</Text>}
      {errors.scripts && <Text style={{ color: tokens.colorPaletteRedForeground1 }}>{errors.scripts}</Text>}
      {scripts.length === 0 ? (
        <Text className={f.muted}>No scripts yet: add them under Scripts first.</Text>
      ) : (
        <Table aria-label="Allowed scripts" size="small" style={{ tableLayout: 'auto' }}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell style={{ width: '44px' }} />
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>File</TableHeaderCell>
              <TableHeaderCell>Runs as</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {scripts.map((s) => (
              <TableRow key={s.id}>
                <TableCell>
                  <Checkbox aria-label={`Select ${s.displayName}`} checked={chosen.has(s.id)} disabled={!chosen.has(s.id) && full} onChange={(_e, v) => toggle(s, v.checked === true)} />
                </TableCell>
                <TableCell>{s.displayName}</TableCell>
                <TableCell>{s.fileName ?? ''}</TableCell>
                <TableCell>{s.runAsAccount === 'user' ? 'User' : 'System'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}

function AssignmentsPage({ d, update, groups }: PageProps & { readonly groups: readonly Group[] }) {
  const f = useFormStyles();
  const [picked, setPicked] = useState<string | null>(null);
  const [pickerKey, setPickerKey] = useState(0);
  const userGroups = groups.filter(isSecurityGroup);
  const add = () => {
    if (!picked) return;
    update({ userGroupIds: [...d.userGroupIds, picked] });
    setPicked(null);
    setPickerKey((k) => k + 1);
  };
  return (
    <div className={f.section}>
      <Text>The users this policy applies to: when one of them signs in during setup, the device follows this policy (the one with the highest priority wins).</Text>
      <Subtitle2 as="h3">Included groups</Subtitle2>
      {d.userGroupIds.length === 0 ? (
        <Text className={f.muted}>No groups: the policy applies to nobody until it is assigned.</Text>
      ) : (
        <Table aria-label="Included groups" size="small" style={{ tableLayout: 'auto', maxWidth: '720px' }}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Group</TableHeaderCell>
              <TableHeaderCell style={{ width: '120px' }} />
            </TableRow>
          </TableHeader>
          <TableBody>
            {d.userGroupIds.map((id) => (
              <TableRow key={id}>
                <TableCell>{groupName(groups, id)}</TableCell>
                <TableCell>
                  <Button size="small" appearance="subtle" icon={<DeleteRegular />} aria-label={`Remove ${groupName(groups, id)}`} onClick={() => update({ userGroupIds: d.userGroupIds.filter((g) => g !== id) })}>
                    Remove
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <div className={f.row}>
        <div className={f.grow} style={{ maxWidth: '480px' }}>
          <GroupPicker key={pickerKey} label="User group" groups={userGroups} value={picked} exclude={d.userGroupIds} onChange={setPicked} />
        </div>
        <Button icon={<AddRegular />} disabled={!picked} onClick={add}>
          Add group
        </Button>
      </div>
    </div>
  );
}

function DeviceGroupPage({ d, update, errors = {}, groups, code }: PageProps & { readonly groups: readonly Group[]; readonly code?: string }) {
  const f = useFormStyles();
  const candidates = groups.filter((g) => isSecurityGroup(g) && !isDynamic(g));
  return (
    <div className={f.form}>
      <Text>
        Devices are added to this group as they enroll, so what is assigned to it installs during setup. It must be an assigned security group whose owner is the
        Intune Provisioning Client (f1346770-5b25-470b-88bd-d5744ab7952c).
      </Text>
      {code && code !== 'unknown' && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>The device group no longer meets the requirements</MessageBarTitle>
            {TARGET_ERRORS[code] ?? code}
          </MessageBarBody>
        </MessageBar>
      )}
      <GroupPicker
        label="Device group"
        required
        groups={candidates}
        value={d.deviceGroupId}
        onChange={(g) => update({ deviceGroupId: g })}
        validationMessage={errors.deviceGroupId}
        hint="Assigned security groups only: device preparation does not use dynamic groups."
      />
    </div>
  );
}

function Review({ d, data }: { readonly d: PolicyDraft; readonly data: WizardData }) {
  const styles = useStyles();
  const f = useFormStyles();
  const app = (id: string) => data.apps.find((a) => a.id === id);
  const script = (id: string) => data.scripts.find((s) => s.id === id);
  const warnings = reviewWarnings(d, data);
  const section = (title: string, items: readonly (readonly [string, ReactNode])[]) => (
    <div className={f.section}>
      <Subtitle2 as="h3">{title}</Subtitle2>
      <dl className={f.properties} aria-label={title}>
        {items.map(([k, v]) => (
          <div key={k} style={{ display: 'contents' }}>
            <dt className={f.term}>{k}</dt>
            <dd className={f.value}>{v === '' ? '—' : v}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
  return (
    <div className={styles.review}>
      {warnings.length > 0 && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Some items will show as Skipped</MessageBarTitle>
            <ul style={{ margin: 0, paddingLeft: '20px' }}>
              {warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      )}
      {section('Basics', [
        ['Name', d.name],
        ['Description', d.description],
      ])}
      {section('Deployment settings', [
        ['Deployment mode', 'User-driven'],
        ['Deployment type', 'Single user'],
        ['Join type', 'Microsoft Entra joined'],
        ['User account type', d.accountType === 'administrator' ? 'Administrator' : 'Standard User'],
      ])}
      {section('Out-of-box experience settings', [
        ['Minutes allowed before showing installation error', d.timeout],
        ['Custom error message', d.customErrorMessage],
        ['Allow users to skip setup after multiple attempts', yesNo(d.allowSkip)],
        ['Show link to diagnostics', yesNo(d.allowDiagnostics)],
      ])}
      {section('Apps', [['Allowed applications', d.apps.map((a) => app(a.id)?.displayName ?? a.id).join(', ')]])}
      {section('Scripts', [['Allowed scripts', d.scripts.map((s) => script(s)?.displayName ?? s).join(', ')]])}
      {section('Assignments', [['Included groups', d.userGroupIds.map((g) => groupName(data.groups, g)).join(', ')]])}
      {section('Device group', [['Device group', groupName(data.groups, d.deviceGroupId)]])}
    </div>
  );
}

/** Selected apps and scripts that device preparation would skip: not assigned to the device group, or not System. */
function reviewWarnings(d: PolicyDraft, data: WizardData): string[] {
  const out: string[] = [];
  const group = d.deviceGroupId;
  const toGroup = (t: Target) => t['@odata.type'] === GROUP_TARGET && !!group && t.groupId?.toLowerCase() === group.toLowerCase();
  const groupLabel = groupName(data.groups, group);
  for (const { id } of d.apps) {
    const a = data.apps.find((x) => x.id === id);
    if (!a) continue;
    if (group && !(a.assignments ?? []).some((x) => x.intent === 'required' && toGroup(x.target))) out.push(`App '${a.displayName}' is not assigned as Required to '${groupLabel}'.`);
    if (installContext(a) !== 'System') out.push(`App '${a.displayName}' installs in the user's context, not System.`);
  }
  for (const id of d.scripts) {
    const s = data.scripts.find((x) => x.id === id);
    if (!s) continue;
    if (group && !(s.assignments ?? []).some((x) => toGroup(x.target))) out.push(`Script '${s.displayName}' is not assigned to '${groupLabel}'.`);
    if (s.runAsAccount === 'user') out.push(`Script '${s.displayName}' runs with the logged on credentials, not as System.`);
  }
  return out;
}
