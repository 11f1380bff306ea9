// Tenant settings: the first two steps of the device preparation tutorial.
//   Step 1, Windows automatic enrollment: the MDM user scope of Microsoft Intune (None / Some / All), the beta
//   mobileDeviceManagementPolicies: appliesTo is patched on its own (all, none), Some is groups added through
//   includedGroups/$ref (and removed through …/{id}/$ref).
//   Step 2, users may join devices: Entra's device settings, the deviceRegistrationPolicy, which is replaced
//   as a whole by PUT (an omitted userDeviceQuota would become 0).
import { useEffect, useState } from 'react';
import {
  Button,
  Card,
  CardHeader,
  Dropdown,
  Field,
  Option,
  Radio,
  RadioGroup,
  Subtitle2,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { SaveRegular } from '@fluentui/react-icons/svg/save';
import { asApiError, graph, useLoad, type ApiError } from '../api';
import { ErrorBar } from '../components/error-bar';
import { Loading } from '../components/loading';
import { Page } from '../components/page';
import { MembershipChoice, type Choice } from './directory/membership-choice';
import type { PickedObject } from './directory/object-picker';
import { INTUNE_MDM_APP_ID, kindOf, type DirectoryObject } from './directory/objects';

const useStyles = makeStyles({
  cards: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL, maxWidth: '960px' },
  card: { padding: tokens.spacingHorizontalXL },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  muted: { color: tokens.colorNeutralForeground3 },
  bar: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  urls: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXS, margin: 0 },
  term: { color: tokens.colorNeutralForeground3 },
  value: { margin: 0, fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, overflowWrap: 'anywhere' },
  subtitle: { marginTop: tokens.spacingVerticalS },
});

export default function TenantSettingsPage() {
  const styles = useStyles();
  return (
    <Page title="Tenant settings" description="Microsoft Entra and Intune settings of the tutorials: the MDM user scope and who may join devices.">
      <div className={styles.cards}>
        <MdmUserScope />
        <DeviceSettings />
      </div>
    </Page>
  );
}

function SaveBar({ dirty, busy, onSave, onDiscard, saved }: { dirty: boolean; busy: boolean; onSave: () => void; onDiscard: () => void; saved: boolean }) {
  const styles = useStyles();
  return (
    <div className={styles.bar}>
      <Button appearance="primary" icon={<SaveRegular />} disabled={!dirty || busy} onClick={onSave}>
        {busy ? 'Saving…' : 'Save'}
      </Button>
      <Button disabled={!dirty || busy} onClick={onDiscard}>
        Discard
      </Button>
      {saved && !dirty && (
        <Text role="status" className={styles.muted}>
          Saved.
        </Text>
      )}
    </div>
  );
}

const picked = (objects: readonly DirectoryObject[], fallback: 'user' | 'group'): PickedObject[] => objects.map((o) => ({ ...o, kind: kindOf(o, fallback) }));
const sameIds = (a: readonly { id: string }[], b: readonly { id: string }[]) => a.map((o) => o.id).sort().join() === b.map((o) => o.id).sort().join();

// ---- Step 1: MDM user scope ---------------------------------------------------------------------------

interface MobilityPolicy {
  readonly id: string;
  readonly displayName: string;
  readonly appliesTo: 'none' | 'all' | 'selected';
  readonly discoveryUrl?: string | null;
  readonly termsOfUseUrl?: string | null;
  readonly complianceUrl?: string | null;
  readonly includedGroups?: DirectoryObject[];
}

const MDM_PATH = `/beta/policies/mobileDeviceManagementPolicies/${INTUNE_MDM_APP_ID}`;

function MdmUserScope() {
  const styles = useStyles();
  const policy = useLoad((signal) => graph<MobilityPolicy>('GET', `${MDM_PATH}?$expand=includedGroups`, undefined, { signal }), []);
  const savedScope: Choice = policy.data?.appliesTo === 'all' ? 'all' : policy.data?.appliesTo === 'selected' ? 'selected' : 'none';
  const savedGroups = picked(policy.data?.includedGroups ?? [], 'group');
  const [scope, setScope] = useState<Choice>('none');
  const [groups, setGroups] = useState<readonly PickedObject[]>([]);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  const reset = () => {
    setScope(savedScope);
    setGroups(savedScope === 'selected' ? savedGroups : []);
    setSubmitted(false);
  };
  useEffect(reset, [policy.data]);

  const dirty = !!policy.data && (scope !== savedScope || (scope === 'selected' && !sameIds(groups, savedGroups)));
  const problem = scope === 'selected' && groups.length === 0 ? 'Select at least one group, or choose All or None.' : undefined;

  const save = async () => {
    setSubmitted(true);
    if (problem) return;
    setBusy(true);
    setError(undefined);
    setSaved(false);
    try {
      if (scope === 'selected') {
        // Adding a group makes the scope Some; groups no longer chosen are removed.
        for (const g of groups) if (!savedGroups.some((s) => s.id === g.id)) await graph('POST', `${MDM_PATH}/includedGroups/$ref`, { '@odata.id': `https://graph.microsoft.com/beta/groups/${g.id}` });
        if (savedScope === 'selected') for (const s of savedGroups) if (!groups.some((g) => g.id === s.id)) await graph('DELETE', `${MDM_PATH}/includedGroups/${s.id}/$ref`);
      } else {
        // appliesTo alone in its request; All and None clear the groups.
        await graph('PATCH', MDM_PATH, { appliesTo: scope });
      }
      setSaved(true);
    } catch (err) {
      setError(asApiError(err));
    }
    setBusy(false);
    policy.reload();
  };

  return (
    <Card className={styles.card} aria-labelledby="mdm-title">
      <CardHeader
        header={
          <Subtitle2 as="h2" id="mdm-title">
            Windows automatic enrollment: Microsoft Intune
          </Subtitle2>
        }
        description={<Text className={styles.muted}>Step 1 of the device preparation tutorial. Users in the MDM user scope have their devices enrolled in Intune when they join them to Microsoft Entra.</Text>}
      />
      <ErrorBar error={policy.error} title="Could not read the MDM user scope" />
      {policy.loading && !policy.data && <Loading />}
      {policy.data && (
        <div className={styles.form}>
          <MembershipChoice
            label="MDM user scope"
            hint="Some: only members of the groups chosen. None: no automatic enrollment."
            value={scope}
            objects={groups}
            kinds={['group']}
            selectedLabel="Some"
            problem={submitted ? problem : undefined}
            disabled={busy}
            onChange={(value, objects) => {
              setScope(value);
              setGroups(objects);
              setSaved(false);
            }}
          />
          <dl className={styles.urls}>
            <dt className={styles.term}>MDM terms of use URL</dt>
            <dd className={styles.value}>{policy.data.termsOfUseUrl ?? '—'}</dd>
            <dt className={styles.term}>MDM discovery URL</dt>
            <dd className={styles.value}>{policy.data.discoveryUrl ?? '—'}</dd>
            <dt className={styles.term}>MDM compliance URL</dt>
            <dd className={styles.value}>{policy.data.complianceUrl ?? '—'}</dd>
          </dl>
          <ErrorBar error={error} title="Could not save the MDM user scope" />
          <SaveBar dirty={dirty} busy={busy} saved={saved} onSave={save} onDiscard={reset} />
        </div>
      )}
    </Card>
  );
}

// ---- Step 2: device settings --------------------------------------------------------------------------

const ALL = '#microsoft.graph.allDeviceRegistrationMembership';
const ENUMERATED = '#microsoft.graph.enumeratedDeviceRegistrationMembership';
const NONE = '#microsoft.graph.noDeviceRegistrationMembership';

interface Membership {
  readonly '@odata.type': string;
  readonly users?: readonly string[];
  readonly groups?: readonly string[];
}

interface DeviceRegistrationPolicy {
  readonly userDeviceQuota: number;
  readonly multiFactorAuthConfiguration: 'notRequired' | 'required' | string;
  readonly azureADRegistration: { readonly isAdminConfigurable: boolean; readonly allowedToRegister: Membership };
  readonly azureADJoin: {
    readonly isAdminConfigurable: boolean;
    readonly allowedToJoin: Membership;
    readonly localAdmins: { readonly enableGlobalAdmins: boolean; readonly registeringUsers: Membership };
  };
  readonly localAdminPassword: { readonly isEnabled: boolean };
}

interface DeviceSettingsForm {
  join: Choice;
  joinObjects: readonly PickedObject[];
  admins: Choice;
  adminObjects: readonly PickedObject[];
  globalAdmins: boolean;
  quota: number;
  mfa: boolean;
  laps: boolean;
}

const QUOTAS = [5, 10, 20, 50, 100];

function choiceOf(m: Membership): Choice {
  return m['@odata.type'] === ALL ? 'all' : m['@odata.type'] === ENUMERATED ? 'selected' : 'none';
}

function membershipOf(choice: Choice, objects: readonly PickedObject[]): Membership {
  if (choice === 'all') return { '@odata.type': ALL };
  if (choice === 'none') return { '@odata.type': NONE };
  return { '@odata.type': ENUMERATED, users: objects.filter((o) => o.kind === 'user').map((o) => o.id), groups: objects.filter((o) => o.kind === 'group').map((o) => o.id) };
}

/** The policy with the names of the users and groups it lists (they are ids in Graph's policy). */
async function readDeviceSettings(signal: AbortSignal): Promise<{ policy: DeviceRegistrationPolicy; form: DeviceSettingsForm }> {
  const policy = await graph<DeviceRegistrationPolicy>('GET', '/beta/policies/deviceRegistrationPolicy', undefined, { signal });
  const join = policy.azureADJoin.allowedToJoin;
  const admins = policy.azureADJoin.localAdmins.registeringUsers;
  const ids = [...new Set([...(join.users ?? []), ...(join.groups ?? []), ...(admins.users ?? []), ...(admins.groups ?? [])])];
  const found = ids.length === 0 ? [] : (await graph<{ value: DirectoryObject[] }>('POST', '/v1.0/directoryObjects/getByIds', { ids, types: ['user', 'group'] }, { signal })).value;
  const objects = (m: Membership): PickedObject[] =>
    [...(m.users ?? []).map((id) => ({ id, kind: 'user' as const })), ...(m.groups ?? []).map((id) => ({ id, kind: 'group' as const }))].map((ref) => {
      const o = found.find((f) => f.id === ref.id);
      return { ...(o ?? { id: ref.id, displayName: `${ref.id} (deleted)` }), kind: ref.kind };
    });
  return {
    policy,
    form: {
      join: choiceOf(join),
      joinObjects: objects(join),
      admins: choiceOf(admins),
      adminObjects: objects(admins),
      globalAdmins: policy.azureADJoin.localAdmins.enableGlobalAdmins,
      quota: policy.userDeviceQuota,
      mfa: policy.multiFactorAuthConfiguration === 'required',
      laps: policy.localAdminPassword.isEnabled,
    },
  };
}

function sameForm(a: DeviceSettingsForm, b: DeviceSettingsForm): boolean {
  return (
    a.join === b.join &&
    a.admins === b.admins &&
    (a.join !== 'selected' || sameIds(a.joinObjects, b.joinObjects)) &&
    (a.admins !== 'selected' || sameIds(a.adminObjects, b.adminObjects)) &&
    a.globalAdmins === b.globalAdmins &&
    a.quota === b.quota &&
    a.mfa === b.mfa &&
    a.laps === b.laps
  );
}

function DeviceSettings() {
  const styles = useStyles();
  const settings = useLoad(readDeviceSettings, []);
  const [form, setForm] = useState<DeviceSettingsForm | undefined>();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  const reset = () => {
    setForm(settings.data?.form);
    setSubmitted(false);
  };
  useEffect(reset, [settings.data]);

  const update = (patch: Partial<DeviceSettingsForm>) => {
    setForm((f) => f && { ...f, ...patch });
    setSaved(false);
  };
  const problems = form && {
    join: form.join === 'selected' && form.joinObjects.length === 0 ? 'Select at least one user or group, or choose All or None.' : undefined,
    admins: form.admins === 'selected' && form.adminObjects.length === 0 ? 'Select at least one user or group, or choose All or None.' : undefined,
  };
  const dirty = !!form && !!settings.data && !sameForm(form, settings.data.form);

  const save = async () => {
    if (!form || !settings.data) return;
    setSubmitted(true);
    if (problems?.join || problems?.admins) return;
    setBusy(true);
    setError(undefined);
    setSaved(false);
    const current = settings.data.policy;
    try {
      // PUT replaces the policy: every updatable property, changed or not.
      await graph('PUT', '/beta/policies/deviceRegistrationPolicy', {
        userDeviceQuota: form.quota,
        multiFactorAuthConfiguration: form.mfa ? 'required' : 'notRequired',
        azureADRegistration: current.azureADRegistration,
        azureADJoin: {
          isAdminConfigurable: current.azureADJoin.isAdminConfigurable,
          allowedToJoin: membershipOf(form.join, form.joinObjects),
          localAdmins: { enableGlobalAdmins: form.globalAdmins, registeringUsers: membershipOf(form.admins, form.adminObjects) },
        },
        localAdminPassword: { isEnabled: form.laps },
      });
      setSaved(true);
    } catch (err) {
      setError(asApiError(err));
    }
    setBusy(false);
    settings.reload();
  };

  const quotas = form && !QUOTAS.includes(form.quota) ? [...QUOTAS, form.quota].sort((a, b) => a - b) : QUOTAS;
  const registration = settings.data?.policy.azureADRegistration;

  return (
    <Card className={styles.card} aria-labelledby="device-settings-title">
      <CardHeader
        header={
          <Subtitle2 as="h2" id="device-settings-title">
            Device settings: Microsoft Entra ID
          </Subtitle2>
        }
        description={<Text className={styles.muted}>Step 2 of the device preparation tutorial: users must be allowed to join devices to Microsoft Entra ID.</Text>}
      />
      <ErrorBar error={settings.error} title="Could not read the device settings" />
      {settings.loading && !settings.data && <Loading />}
      {form && problems && (
        <div className={styles.form}>
          <MembershipChoice
            label="Users may join devices to Microsoft Entra"
            value={form.join}
            objects={form.joinObjects}
            kinds={['user', 'group']}
            problem={submitted ? problems.join : undefined}
            disabled={busy || settings.data?.policy.azureADJoin.isAdminConfigurable === false}
            onChange={(join, joinObjects) => update({ join, joinObjects })}
          />
          <Field label="Users may register their devices with Microsoft Entra" hint={registration?.isAdminConfigurable ? undefined : 'Managed by Microsoft Intune: not configurable here.'}>
            <RadioGroup layout="horizontal" value={registration ? choiceOf(registration.allowedToRegister) : 'all'} disabled>
              <Radio value="all" label="All" />
              <Radio value="none" label="None" />
            </RadioGroup>
          </Field>
          <YesNo label="Require multifactor authentication to register or join devices with Microsoft Entra" value={form.mfa} disabled={busy} onChange={(mfa) => update({ mfa })} />
          <Field label="Maximum number of devices per user" hint="Joined and registered devices a user may have; joining one more fails." style={{ maxWidth: 360 }}>
            <Dropdown
              value={String(form.quota)}
              selectedOptions={[String(form.quota)]}
              disabled={busy}
              onOptionSelect={(_e, d) => d.optionValue && update({ quota: Number(d.optionValue) })}
              style={{ minWidth: 160 }}
            >
              {quotas.map((q) => (
                <Option key={q} value={String(q)}>
                  {String(q)}
                </Option>
              ))}
            </Dropdown>
          </Field>
          <Subtitle2 as="h3" className={styles.subtitle}>
            Local administrator settings
          </Subtitle2>
          <YesNo
            label="Global administrator role is added as local administrator on the device during Microsoft Entra join"
            value={form.globalAdmins}
            disabled={busy}
            onChange={(globalAdmins) => update({ globalAdmins })}
          />
          <MembershipChoice
            label="Registering user is added as local administrator on the device during Microsoft Entra join"
            value={form.admins}
            objects={form.adminObjects}
            kinds={['user', 'group']}
            problem={submitted ? problems.admins : undefined}
            disabled={busy}
            onChange={(admins, adminObjects) => update({ admins, adminObjects })}
          />
          <YesNo label="Enable Microsoft Entra Local Administrator Password Solution (LAPS)" value={form.laps} disabled={busy} onChange={(laps) => update({ laps })} />
          <ErrorBar error={error} title="Could not save the device settings" />
          <SaveBar dirty={dirty} busy={busy} saved={saved} onSave={save} onDiscard={reset} />
        </div>
      )}
    </Card>
  );
}

function YesNo({ label, value, disabled, onChange }: { label: string; value: boolean; disabled?: boolean; onChange: (value: boolean) => void }) {
  return (
    <Field label={label}>
      <RadioGroup layout="horizontal" value={value ? 'yes' : 'no'} disabled={disabled} onChange={(_e, d) => onChange(d.value === 'yes')}>
        <Radio value="yes" label="Yes" />
        <Radio value="no" label="No" />
      </RadioGroup>
    </Field>
  );
}
