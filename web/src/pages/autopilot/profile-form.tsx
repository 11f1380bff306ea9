// The Windows Autopilot deployment profile form, as the portal's "Create profile" pages lay it out: Basics,
// Out-of-box experience (OOBE), Assignments. Validates like the portal (name, description, the device name
// template as you type) and saves through Graph: the profile, then its assignments one by one.
import { useEffect, useMemo, useState } from 'react';
import { Dropdown, Field, Input, Option, Text, Textarea } from '@fluentui/react-components';
import { graph } from '../../api';
import { AssignmentsEditor, NO_TARGETS, graphTargets, targetKey, type Assignment, type Target, type Targets } from './assignments';
import { AZURE_AD_PROFILE_TYPE, HYBRID_PROFILE_TYPE } from './labels';
import { deviceNameTemplateProblem, exampleDeviceName } from './name-template';
import { Choice, FormDrawer, Section, YesNo, useUiStyles } from './ui';

const EXAMPLE_SERIAL = 'PF3XK2LM8Q';
export const PROFILES = '/beta/deviceManagement/windowsAutopilotDeploymentProfiles';

export interface OobeSetting {
  readonly privacySettingsHidden?: boolean;
  readonly eulaHidden?: boolean;
  readonly userType?: 'administrator' | 'standard';
  readonly deviceUsageType?: 'singleUser' | 'shared';
  readonly keyboardSelectionPageSkipped?: boolean;
  readonly escapeLinkHidden?: boolean;
}

export interface DeploymentProfile {
  readonly id: string;
  readonly '@odata.type': string;
  readonly displayName: string;
  readonly description?: string;
  readonly locale?: string;
  readonly deviceNameTemplate?: string;
  readonly preprovisioningAllowed?: boolean;
  readonly hardwareHashExtractionEnabled?: boolean;
  readonly deviceType?: string;
  readonly outOfBoxExperienceSetting?: OobeSetting;
  readonly createdDateTime?: string;
  readonly lastModifiedDateTime?: string;
  readonly assignments?: Assignment[];
}

export const deploymentMode = (p: DeploymentProfile) => (p.outOfBoxExperienceSetting?.deviceUsageType === 'shared' ? 'Self-deploying' : 'User-driven');
export const joinType = (p: DeploymentProfile) => (p['@odata.type'] === HYBRID_PROFILE_TYPE ? 'Microsoft Entra hybrid joined' : 'Microsoft Entra joined');

/** Languages (regions) the portal offers, besides the operating system's default. */
const LOCALES = [
  'ar-SA', 'bg-BG', 'cs-CZ', 'da-DK', 'de-DE', 'el-GR', 'en-AU', 'en-CA', 'en-GB', 'en-IE', 'en-IN', 'en-NZ', 'en-US', 'en-ZA', 'es-ES', 'es-MX',
  'et-EE', 'fi-FI', 'fr-CA', 'fr-FR', 'he-IL', 'hr-HR', 'hu-HU', 'it-IT', 'ja-JP', 'ko-KR', 'lt-LT', 'lv-LV', 'nb-NO', 'nl-NL', 'pl-PL',
  'pt-BR', 'pt-PT', 'ro-RO', 'ru-RU', 'sk-SK', 'sl-SI', 'sr-Latn-RS', 'sv-SE', 'th-TH', 'tr-TR', 'uk-UA', 'zh-CN', 'zh-TW',
];

let names: Intl.DisplayNames | undefined;
export function localeLabel(locale: string | undefined): string {
  if (!locale || locale === 'os-default') return 'Operating system default';
  try {
    names ??= new Intl.DisplayNames(['en-US'], { type: 'language', languageDisplay: 'standard' });
    return `${names.of(locale) ?? locale}`;
  } catch {
    return locale;
  }
}

interface FormState {
  readonly displayName: string;
  readonly description: string;
  readonly convert: boolean;
  readonly eula: 'show' | 'hide';
  readonly privacy: 'show' | 'hide';
  readonly changeAccount: 'show' | 'hide';
  readonly userType: 'administrator' | 'standard';
  readonly preprovisioning: boolean;
  readonly locale: string;
  readonly keyboard: boolean;
  readonly applyTemplate: boolean;
  readonly template: string;
}

function stateOf(p: DeploymentProfile | undefined): FormState {
  const o = p?.outOfBoxExperienceSetting ?? {};
  return {
    displayName: p?.displayName ?? '',
    description: p?.description ?? '',
    convert: p?.hardwareHashExtractionEnabled ?? false,
    // A new profile starts as the portal's does: terms and privacy hidden, change account options hidden, standard user.
    eula: p ? (o.eulaHidden ? 'hide' : 'show') : 'hide',
    privacy: p ? (o.privacySettingsHidden ? 'hide' : 'show') : 'hide',
    changeAccount: p ? (o.escapeLinkHidden ? 'hide' : 'show') : 'hide',
    userType: p ? (o.userType ?? 'administrator') : 'standard',
    preprovisioning: p?.preprovisioningAllowed ?? false,
    locale: p?.locale || 'os-default',
    keyboard: p ? (o.keyboardSelectionPageSkipped ?? false) : true,
    applyTemplate: !!p?.deviceNameTemplate,
    template: p?.deviceNameTemplate ?? '',
  };
}

function bodyOf(s: FormState, existing: DeploymentProfile | undefined): Record<string, unknown> {
  const type = existing?.['@odata.type'] ?? AZURE_AD_PROFILE_TYPE;
  return {
    '@odata.type': type,
    displayName: s.displayName.trim(),
    description: s.description,
    locale: s.locale,
    preprovisioningAllowed: s.preprovisioning,
    hardwareHashExtractionEnabled: s.convert,
    deviceType: existing?.deviceType ?? 'windowsPc',
    ...(existing ? {} : { roleScopeTagIds: ['0'] }),
    ...(type === HYBRID_PROFILE_TYPE ? {} : { deviceNameTemplate: s.applyTemplate ? s.template : '' }),
    outOfBoxExperienceSetting: {
      deviceUsageType: existing?.outOfBoxExperienceSetting?.deviceUsageType ?? 'singleUser',
      escapeLinkHidden: s.changeAccount === 'hide',
      privacySettingsHidden: s.privacy === 'hide',
      eulaHidden: s.eula === 'hide',
      userType: s.userType,
      keyboardSelectionPageSkipped: s.keyboard,
    },
  };
}

export function formProblems(s: FormState): Partial<Record<'displayName' | 'description' | 'template', string>> {
  const p: Partial<Record<'displayName' | 'description' | 'template', string>> = {};
  if (s.displayName.trim() === '') p.displayName = 'Enter a name.';
  else if (s.displayName.length > 200) p.displayName = 'The name can have at most 200 characters.';
  if (s.description.length > 1500) p.description = 'The description can have at most 1500 characters.';
  if (s.applyTemplate) {
    if (s.template === '') p.template = 'Enter a name template, or choose No.';
    else {
      const problem = deviceNameTemplateProblem(s.template);
      if (problem) p.template = problem;
    }
  }
  return p;
}

/** Adds and removes profile assignments so that they become `wanted`. */
export async function syncProfileAssignments(profileId: string, current: readonly Assignment[], wanted: readonly Target[]): Promise<void> {
  const want = new Set(wanted.map(targetKey));
  const have = new Set(current.map((a) => targetKey(a.target)));
  for (const a of current) if (!want.has(targetKey(a.target))) await graph('DELETE', `${PROFILES}/${profileId}/assignments/${encodeURIComponent(a.id)}`);
  for (const t of wanted) if (!have.has(targetKey(t))) await graph('POST', `${PROFILES}/${profileId}/assignments`, { target: t });
}

export interface ProfileFormProps {
  readonly open: boolean;
  /** The profile to edit; a new one when undefined. */
  readonly profile?: DeploymentProfile;
  /** The profile's assignments as they are, when assignments are edited here. */
  readonly assignments?: Targets;
  /** 'all': the whole wizard; 'settings' or 'assignments': one part of an existing profile. */
  readonly part?: 'all' | 'settings' | 'assignments';
  readonly onClose: () => void;
  readonly onSaved: (id: string) => void;
}

export function ProfileForm({ open, profile, assignments, part = 'all', onClose, onSaved }: ProfileFormProps) {
  const ui = useUiStyles();
  const [s, setS] = useState<FormState>(() => stateOf(profile));
  const [targets, setTargets] = useState<Targets>(assignments ?? NO_TARGETS);
  // A create that failed on an assignment has made the profile: a second Save edits it instead.
  const [createdId, setCreatedId] = useState<string>();
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    if (!open) return;
    setS(stateOf(profile));
    setTargets(assignments ?? NO_TARGETS);
    setCreatedId(undefined);
    setTouched(false);
  }, [open]);

  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setS((prev) => ({ ...prev, [k]: v }));
  const problems = formProblems(s);
  const showSettings = part !== 'assignments';
  const hybrid = profile?.['@odata.type'] === HYBRID_PROFILE_TYPE;
  const example = useMemo(() => exampleDeviceName(s.template, EXAMPLE_SERIAL), [s.template]);

  const save = async () => {
    let id = profile?.id ?? createdId;
    if (showSettings) {
      if (id) await graph('PATCH', `${PROFILES}/${id}`, bodyOf(s, profile));
      else {
        const created = await graph<DeploymentProfile>('POST', PROFILES, bodyOf(s, undefined));
        id = created.id;
        setCreatedId(id);
      }
    }
    if (part !== 'settings') {
      const current = await graph<{ value: Assignment[] }>('GET', `${PROFILES}/${id}/assignments`);
      await syncProfileAssignments(id!, current.value, graphTargets(targets));
    }
    onSaved(id!);
  };

  const title = part === 'assignments' ? `Assignments of ${profile?.displayName}` : profile ? `Edit ${profile.displayName}` : 'Create profile: Windows PC';
  const shown = (field: keyof typeof problems) => (touched || field === 'template' ? problems[field] : undefined);

  return (
    <FormDrawer open={open} title={title} size="large" onClose={onClose} onSave={save} saveLabel={profile ? 'Save' : 'Create'} canSave={!showSettings || Object.keys(problems).length === 0}>
      {showSettings && (
        <>
          <Section title="Basics">
            <Field label="Name" required validationMessage={shown('displayName')}>
              <Input value={s.displayName} onChange={(_, d) => set('displayName', d.value)} onBlur={() => setTouched(true)} />
            </Field>
            <Field label="Description" validationMessage={shown('description')}>
              <Textarea value={s.description} onChange={(_, d) => set('description', d.value)} resize="vertical" />
            </Field>
            <YesNo
              label="Convert all targeted devices to Autopilot"
              value={s.convert}
              onChange={(v) => set('convert', v)}
              hint="Registers the corporate devices of the assigned groups that are not yet registered with Windows Autopilot."
            />
          </Section>
          <Section title="Out-of-box experience (OOBE)">
            <Field label="Deployment mode" hint="User-driven: the device is set up for the user who signs in.">
              <Dropdown value={profile ? deploymentMode(profile) : 'User-driven'} selectedOptions={['user-driven']} disabled>
                <Option value="user-driven">User-driven</Option>
              </Dropdown>
            </Field>
            <Field label="Join to Microsoft Entra ID as">
              <Dropdown value={profile ? joinType(profile) : 'Microsoft Entra joined'} selectedOptions={['entra']} disabled>
                <Option value="entra">Microsoft Entra joined</Option>
              </Dropdown>
            </Field>
            <Choice label="Microsoft Software License Terms" value={s.eula} options={[['show', 'Show'], ['hide', 'Hide']]} onChange={(v) => set('eula', v)} />
            <Choice
              label="Privacy settings"
              value={s.privacy}
              options={[['show', 'Show'], ['hide', 'Hide']]}
              onChange={(v) => set('privacy', v)}
              hint="Hiding them also turns location services off; diagnostic data is then Full."
            />
            <Choice
              label="Hide change account options"
              value={s.changeAccount}
              options={[['hide', 'Hide'], ['show', 'Show']]}
              onChange={(v) => set('changeAccount', v)}
              hint="Needs company branding in Microsoft Entra ID."
            />
            <Choice label="User account type" value={s.userType} options={[['administrator', 'Administrator'], ['standard', 'Standard']]} onChange={(v) => set('userType', v)} />
            <YesNo label="Allow pre-provisioned deployment" value={s.preprovisioning} onChange={(v) => set('preprovisioning', v)} />
            <Field label="Language (Region)">
              <Dropdown value={localeLabel(s.locale)} selectedOptions={[s.locale]} onOptionSelect={(_, d) => d.optionValue && set('locale', d.optionValue)}>
                <Option value="os-default">Operating system default</Option>
                {LOCALES.map((l) => (
                  <Option key={l} value={l} text={localeLabel(l)}>
                    {localeLabel(l)}
                  </Option>
                ))}
              </Dropdown>
            </Field>
            <YesNo label="Automatically configure keyboard" value={s.keyboard} onChange={(v) => set('keyboard', v)} hint="Skips the keyboard page when a language is set (needs a wired network)." />
            {!hybrid && (
              <>
                <YesNo label="Apply device name template" value={s.applyTemplate} onChange={(v) => set('applyTemplate', v)} />
                {s.applyTemplate && (
                  <Field
                    label="Enter a name"
                    required
                    validationMessage={problems.template ?? (example ? `A device with serial number ${EXAMPLE_SERIAL} is named ${example}.` : undefined)}
                    validationState={problems.template ? 'error' : example ? 'success' : 'none'}
                    hint={
                      <>
                        15 characters or less: letters, numbers and hyphens, not only numbers. <span className={ui.mono}>%SERIAL%</span> adds the serial number,{' '}
                        <span className={ui.mono}>%RAND:x%</span> x random digits (macros in capitals).
                      </>
                    }
                  >
                    <Input value={s.template} onChange={(_, d) => set('template', d.value)} placeholder="CONTOSO-%SERIAL%" />
                  </Field>
                )}
              </>
            )}
          </Section>
        </>
      )}
      {part !== 'settings' && (
        <Section title="Assignments">
          <AssignmentsEditor
            value={targets}
            onChange={setTargets}
            allDevices
            hint="Assign the profile to device groups (usually a dynamic group on [ZTDId]). A device in several assigned groups gets the oldest profile."
          />
        </Section>
      )}
      {!showSettings && <Text className={ui.muted}>Changes apply to a device at its next deployment.</Text>}
    </FormDrawer>
  );
}
