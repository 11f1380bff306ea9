// Enrollment restriction forms: a Windows device platform restriction (a custom one, or the default's
// Windows part: windowsRestriction of the all-platforms default) and a device limit restriction (1 to 15).
// Checked as the portal checks them; the service's answer has the last word.
import { useEffect, useState } from 'react';
import { Dropdown, Field, Input, Option, Text, Textarea } from '@fluentui/react-components';
import { graph } from '../../api';
import { AssignmentsEditor, NO_TARGETS, graphTargets, type Targets } from './assignments';
import { CONFIGURATIONS, assignConfiguration, isDefault, type EnrollmentConfiguration } from './enrollment';
import { LIMIT_TYPE, PLATFORMS_TYPE, SINGLE_PLATFORM_TYPE } from './labels';
import { Choice, FormDrawer, Section, useUiStyles } from './ui';

export interface PlatformRestriction {
  readonly platformBlocked: boolean;
  readonly personalDeviceEnrollmentBlocked: boolean;
  readonly osMinimumVersion: string | null;
  readonly osMaximumVersion: string | null;
  readonly blockedManufacturers?: string[];
  readonly blockedSkus?: string[];
}

/** The Windows restriction of a configuration: its own (custom) or the default's windowsRestriction. */
export function windowsRestrictionOf(c: EnrollmentConfiguration): PlatformRestriction | undefined {
  const r = (c['@odata.type'] === PLATFORMS_TYPE ? c.windowsRestriction : c.platformRestriction) as PlatformRestriction | undefined;
  return r ?? undefined;
}

export const MIN_LIMIT = 1;
export const MAX_LIMIT = 15;

/** Windows takes major.minor.build.rev (two to four numbers), e.g. 10.0.22631. */
export function windowsVersionProblem(value: string): string | undefined {
  if (value === '') return undefined;
  const parts = value.split('.');
  if (parts.length < 2 || parts.length > 4 || !parts.every((p) => /^\d{1,9}$/.test(p))) return `'${value}' is not a Windows version: use major.minor.build.rev, e.g. 10.0.22631.`;
  return undefined;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

interface PlatformState {
  readonly displayName: string;
  readonly description: string;
  readonly mdm: 'allow' | 'block';
  readonly personal: 'allow' | 'block';
  readonly min: string;
  readonly max: string;
}

const ALLOW_BLOCK = [
  ['allow', 'Allow'],
  ['block', 'Block'],
] as const;

export interface RestrictionFormProps {
  readonly open: boolean;
  readonly config?: EnrollmentConfiguration;
  readonly assignments?: Targets;
  readonly onClose: () => void;
  readonly onSaved: () => void;
}

function BasicsFields({ name, description, builtIn, touched, onName, onDescription, onBlur }: { name: string; description: string; builtIn: boolean; touched: boolean; onName: (v: string) => void; onDescription: (v: string) => void; onBlur: () => void }) {
  return (
    <Section title="Basics">
      <Field label="Name" required validationMessage={touched && name.trim() === '' ? 'Enter a name.' : undefined} hint={builtIn ? 'The default restriction applies to all users; its name cannot change.' : undefined}>
        <Input value={name} disabled={builtIn} onChange={(_, d) => onName(d.value)} onBlur={onBlur} />
      </Field>
      <Field label="Description">
        <Textarea value={description} onChange={(_, d) => onDescription(d.value)} resize="vertical" />
      </Field>
    </Section>
  );
}

function RestrictionAssignments({ builtIn, value, onChange }: { builtIn: boolean; value: Targets; onChange: (t: Targets) => void }) {
  const ui = useUiStyles();
  return (
    <Section title="Assignments">
      {builtIn ? (
        <Text className={ui.muted}>The default restriction applies to all users, with the lowest priority; it cannot be assigned.</Text>
      ) : (
        <AssignmentsEditor value={value} onChange={onChange} allUsers hint="Restrictions apply to the user who enrolls: assign them to user groups." />
      )}
    </Section>
  );
}

export function PlatformRestrictionForm({ open, config, assignments, onClose, onSaved }: RestrictionFormProps) {
  const ui = useUiStyles();
  const stateOf = (): PlatformState => {
    const r = config ? windowsRestrictionOf(config) : undefined;
    return {
      displayName: config?.displayName ?? '',
      description: config?.description ?? '',
      mdm: r?.platformBlocked ? 'block' : 'allow',
      personal: r ? (r.personalDeviceEnrollmentBlocked ? 'block' : 'allow') : 'allow',
      min: r?.osMinimumVersion ?? '',
      max: r?.osMaximumVersion ?? '',
    };
  };
  const [s, setS] = useState<PlatformState>(stateOf);
  const [targets, setTargets] = useState<Targets>(assignments ?? NO_TARGETS);
  const [createdId, setCreatedId] = useState<string>();
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    if (!open) return;
    setS(stateOf());
    setTargets(assignments ?? NO_TARGETS);
    setCreatedId(undefined);
    setTouched(false);
  }, [open]);
  const set = <K extends keyof PlatformState>(k: K, v: PlatformState[K]) => setS((prev) => ({ ...prev, [k]: v }));
  const builtIn = !!config && isDefault(config);
  const allowed = s.mdm === 'allow';
  const minProblem = allowed ? windowsVersionProblem(s.min.trim()) : undefined;
  const maxProblem = allowed ? windowsVersionProblem(s.max.trim()) : undefined;
  const orderProblem =
    allowed && !minProblem && !maxProblem && s.min.trim() && s.max.trim() && compareVersions(s.min.trim(), s.max.trim()) > 0
      ? `The minimum version ${s.min.trim()} is higher than the maximum ${s.max.trim()}.`
      : undefined;
  const canSave = s.displayName.trim() !== '' && !minProblem && !maxProblem && !orderProblem;

  const save = async () => {
    const before = config ? windowsRestrictionOf(config) : undefined;
    // The default keeps '' for "no limit"; custom restrictions keep null.
    const none = builtIn ? '' : null;
    const restriction: PlatformRestriction = {
      blockedManufacturers: before?.blockedManufacturers ?? [],
      blockedSkus: before?.blockedSkus ?? [],
      platformBlocked: !allowed,
      personalDeviceEnrollmentBlocked: allowed ? s.personal === 'block' : (before?.personalDeviceEnrollmentBlocked ?? false),
      osMinimumVersion: allowed ? s.min.trim() || none : (before?.osMinimumVersion ?? none),
      osMaximumVersion: allowed ? s.max.trim() || none : (before?.osMaximumVersion ?? none),
    };
    if (builtIn) {
      await graph('PATCH', `${CONFIGURATIONS}/${encodeURIComponent(config!.id)}`, { '@odata.type': PLATFORMS_TYPE, description: s.description, windowsRestriction: restriction });
      onSaved();
      return;
    }
    const body = {
      '@odata.type': SINGLE_PLATFORM_TYPE,
      displayName: s.displayName.trim(),
      description: s.description,
      platformType: 'windows',
      platformRestriction: restriction,
      ...(config ? {} : { deviceEnrollmentConfigurationType: 'singlePlatformRestriction', roleScopeTagIds: ['0'] }),
    };
    let id = config?.id ?? createdId;
    if (id) await graph('PATCH', `${CONFIGURATIONS}/${encodeURIComponent(id)}`, body);
    else {
      id = (await graph<EnrollmentConfiguration>('POST', CONFIGURATIONS, body)).id;
      setCreatedId(id);
    }
    await assignConfiguration(id, graphTargets(targets));
    onSaved();
  };

  return (
    <FormDrawer
      open={open}
      title={config ? `Edit ${builtIn ? 'the default Windows restriction' : config.displayName}` : 'Create restriction: Windows'}
      size="large"
      onClose={onClose}
      onSave={save}
      saveLabel={config ? 'Save' : 'Create'}
      canSave={canSave}
    >
      <BasicsFields
        name={s.displayName}
        description={s.description}
        builtIn={builtIn}
        touched={touched}
        onName={(v) => set('displayName', v)}
        onDescription={(v) => set('description', v)}
        onBlur={() => setTouched(true)}
      />
      <Section title="Platform settings: Windows (MDM)">
        <Choice label="Windows (MDM)" value={s.mdm} options={ALLOW_BLOCK} onChange={(v) => set('mdm', v)} hint="Block: no Windows device of these users can enroll in Intune." />
        {allowed && (
          <div className={ui.nested}>
            <Field label="Minimum OS version" validationMessage={minProblem ?? orderProblem} hint="major.minor.build.rev, e.g. 10.0.19045; empty for no minimum.">
              <Input value={s.min} onChange={(_, d) => set('min', d.value)} placeholder="No minimum" />
            </Field>
            <Field label="Maximum OS version" validationMessage={maxProblem} hint="Empty for no maximum.">
              <Input value={s.max} onChange={(_, d) => set('max', d.value)} placeholder="No maximum" />
            </Field>
            <Choice
              label="Personally owned devices"
              value={s.personal}
              options={ALLOW_BLOCK}
              onChange={(v) => set('personal', v)}
              hint="Block: only corporate devices enroll (Windows Autopilot devices and corporate identifiers count as corporate)."
            />
          </div>
        )}
      </Section>
      <RestrictionAssignments builtIn={builtIn} value={targets} onChange={setTargets} />
    </FormDrawer>
  );
}

interface LimitState {
  readonly displayName: string;
  readonly description: string;
  readonly limit: number;
}

export function DeviceLimitForm({ open, config, assignments, onClose, onSaved }: RestrictionFormProps) {
  const stateOf = (): LimitState => ({ displayName: config?.displayName ?? '', description: config?.description ?? '', limit: Number(config?.limit ?? 5) });
  const [s, setS] = useState<LimitState>(stateOf);
  const [targets, setTargets] = useState<Targets>(assignments ?? NO_TARGETS);
  const [createdId, setCreatedId] = useState<string>();
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    if (!open) return;
    setS(stateOf());
    setTargets(assignments ?? NO_TARGETS);
    setCreatedId(undefined);
    setTouched(false);
  }, [open]);
  const builtIn = !!config && isDefault(config);
  const limitProblem = !Number.isInteger(s.limit) || s.limit < MIN_LIMIT || s.limit > MAX_LIMIT ? `Choose from ${MIN_LIMIT} to ${MAX_LIMIT} devices.` : undefined;

  const save = async () => {
    const body = {
      '@odata.type': LIMIT_TYPE,
      ...(builtIn ? {} : { displayName: s.displayName.trim() }),
      description: s.description,
      limit: s.limit,
      ...(config ? {} : { roleScopeTagIds: ['0'] }),
    };
    let id = config?.id ?? createdId;
    if (id) await graph('PATCH', `${CONFIGURATIONS}/${encodeURIComponent(id)}`, body);
    else {
      id = (await graph<EnrollmentConfiguration>('POST', CONFIGURATIONS, body)).id;
      setCreatedId(id);
    }
    if (!builtIn) await assignConfiguration(id, graphTargets(targets));
    onSaved();
  };

  return (
    <FormDrawer
      open={open}
      title={config ? `Edit ${builtIn ? 'the default device limit' : config.displayName}` : 'Create restriction: device limit'}
      size="large"
      onClose={onClose}
      onSave={save}
      saveLabel={config ? 'Save' : 'Create'}
      canSave={s.displayName.trim() !== '' && !limitProblem}
    >
      <BasicsFields
        name={s.displayName}
        description={s.description}
        builtIn={builtIn}
        touched={touched}
        onName={(v) => setS({ ...s, displayName: v })}
        onDescription={(v) => setS({ ...s, description: v })}
        onBlur={() => setTouched(true)}
      />
      <Section title="Device limit">
        <Field label="Device limit" hint="How many devices each user can enroll." validationMessage={limitProblem}>
          <Dropdown value={String(s.limit)} selectedOptions={[String(s.limit)]} onOptionSelect={(_, d) => d.optionValue && setS({ ...s, limit: Number(d.optionValue) })} style={{ maxWidth: 160 }}>
            {Array.from({ length: MAX_LIMIT - MIN_LIMIT + 1 }, (_, i) => String(MIN_LIMIT + i)).map((n) => (
              <Option key={n} value={n}>
                {n}
              </Option>
            ))}
          </Dropdown>
        </Field>
      </Section>
      <RestrictionAssignments builtIn={builtIn} value={targets} onChange={setTargets} />
    </FormDrawer>
  );
}
