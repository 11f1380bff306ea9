// What the Intune screens (apps, scripts, device preparation policies, corporate identifiers) share: the
// tenant's groups for the group pickers, assignment targets as Graph writes them, the Windows app types,
// reading an uploaded file, dates, and the small layout pieces of a form or a properties list.
import { useState, type ReactNode } from 'react';
import { Combobox, Field, Option, makeStyles, tokens, type FieldProps } from '@fluentui/react-components';
import { graphAll, useLoad, type Resource } from '../../api';

// ---- Groups ---------------------------------------------------------------------------------------

export interface Group {
  readonly id: string;
  readonly displayName: string;
  readonly securityEnabled?: boolean;
  readonly mailEnabled?: boolean;
  readonly groupTypes?: readonly string[];
}

export const isDynamic = (g: Group) => (g.groupTypes ?? []).includes('DynamicMembership');
export const isSecurityGroup = (g: Group) => g.securityEnabled === true && !(g.groupTypes ?? []).includes('Unified');

/** Every group of the tenant, by name (the pickers filter them as the user types). */
export function useGroups(): Resource<Group[]> {
  return useLoad((signal) => graphAll<Group>('/v1.0/groups?$select=id,displayName,securityEnabled,mailEnabled,groupTypes&$orderby=displayName', { signal }), []);
}

/** A group's name for a target, or its id when the group is gone. */
export function groupName(groups: readonly Group[] | undefined, id: string | null | undefined): string {
  if (!id) return '';
  return groups?.find((g) => g.id.toLowerCase() === id.toLowerCase())?.displayName ?? id;
}

export interface GroupPickerProps {
  readonly label: string;
  readonly groups: readonly Group[];
  readonly value: string | null;
  readonly onChange: (groupId: string | null) => void;
  readonly required?: boolean;
  readonly hint?: FieldProps['hint'];
  readonly validationMessage?: FieldProps['validationMessage'];
  readonly placeholder?: string;
  /** Group ids not offered (already chosen elsewhere). */
  readonly exclude?: readonly string[];
}

/** A searchable group list: type part of a name, pick one. */
export function GroupPicker({ label, groups, value, onChange, required, hint, validationMessage, placeholder, exclude = [] }: GroupPickerProps) {
  const selected = value ? groups.find((g) => g.id === value) : undefined;
  const [query, setQuery] = useState(selected?.displayName ?? '');
  const [typing, setTyping] = useState(false);
  const text = typing ? query : (selected?.displayName ?? '');
  const matches = groups.filter((g) => !exclude.includes(g.id) && (!typing || g.displayName.toLowerCase().includes(query.trim().toLowerCase())));
  return (
    <Field label={label} required={required} hint={hint} validationMessage={validationMessage}>
      <Combobox
        placeholder={placeholder ?? 'Search groups by name'}
        value={text}
        selectedOptions={value ? [value] : []}
        onChange={(e) => {
          setTyping(true);
          setQuery(e.target.value);
          if (e.target.value === '') onChange(null);
        }}
        onOptionSelect={(_e, d) => {
          setTyping(false);
          onChange(d.optionValue ?? null);
        }}
        onBlur={() => setTyping(false)}
      >
        {matches.length === 0 ? (
          <Option disabled value="" text="">
            No group matches
          </Option>
        ) : (
          matches.map((g) => (
            <Option key={g.id} value={g.id} text={g.displayName}>
              {g.displayName}
            </Option>
          ))
        )}
      </Combobox>
    </Field>
  );
}

// ---- Assignment targets ---------------------------------------------------------------------------

export const GROUP_TARGET = '#microsoft.graph.groupAssignmentTarget';
export const EXCLUSION_TARGET = '#microsoft.graph.exclusionGroupAssignmentTarget';
export const ALL_USERS_TARGET = '#microsoft.graph.allLicensedUsersAssignmentTarget';
export const ALL_DEVICES_TARGET = '#microsoft.graph.allDevicesAssignmentTarget';

export interface Target {
  readonly '@odata.type': string;
  readonly groupId?: string;
  readonly deviceAndAppManagementAssignmentFilterId?: string | null;
  readonly deviceAndAppManagementAssignmentFilterType?: string;
}

export type GroupMode = 'included' | 'excluded';

export const groupTarget = (groupId: string, mode: GroupMode = 'included'): Target => ({
  '@odata.type': mode === 'excluded' ? EXCLUSION_TARGET : GROUP_TARGET,
  groupId,
});

/** "Included" / "Excluded" as the portal's Group mode column says. */
export const modeOf = (t: Target): string => (t['@odata.type'] === EXCLUSION_TARGET ? 'Excluded' : 'Included');

/** What a target points at: a group's name, All users or All devices. */
export function targetName(t: Target, groups: readonly Group[] | undefined): string {
  if (t['@odata.type'] === ALL_USERS_TARGET) return 'All users';
  if (t['@odata.type'] === ALL_DEVICES_TARGET) return 'All devices';
  return groupName(groups, t.groupId);
}

// ---- Apps -----------------------------------------------------------------------------------------

export const WIN32_LOB_APP = '#microsoft.graph.win32LobApp';
export const WINDOWS_MSI_APP = '#microsoft.graph.windowsMobileMSI';

/** The Windows app types, as the portal names them. */
export const APP_TYPE_NAMES: Readonly<Record<string, string>> = {
  [WIN32_LOB_APP]: 'Windows app (Win32)',
  [WINDOWS_MSI_APP]: 'Windows MSI line-of-business app',
  '#microsoft.graph.windowsUniversalAppX': 'Windows universal line-of-business app',
  '#microsoft.graph.winGetApp': 'Microsoft Store app (new)',
  '#microsoft.graph.officeSuiteApp': 'Microsoft 365 Apps (Windows 10 and later)',
  '#microsoft.graph.win32CatalogApp': 'Enterprise App Catalog app',
};

export const appTypeName = (odataType: string | undefined) => APP_TYPE_NAMES[odataType ?? ''] ?? (odataType ?? '').replace('#microsoft.graph.', '');

export interface MobileApp {
  readonly id: string;
  readonly '@odata.type': string;
  readonly displayName: string;
  readonly description?: string | null;
  readonly publisher?: string | null;
  readonly isAssigned?: boolean;
  readonly createdDateTime?: string;
  readonly lastModifiedDateTime?: string;
  readonly installExperience?: { readonly runAsAccount?: string } | null;
  readonly useDeviceContext?: boolean | null;
  readonly assignments?: readonly AppAssignment[];
  readonly [key: string]: unknown;
}

export type AppIntent = 'required' | 'available' | 'uninstall';

export interface AppAssignment {
  readonly id?: string;
  readonly intent: AppIntent;
  readonly target: Target;
  readonly settings?: unknown;
}

export const INTENT_NAMES: Readonly<Record<AppIntent, string>> = { required: 'Required', available: 'Available for enrolled devices', uninstall: 'Uninstall' };

/** Where the app installs: System (device) or the signed-in user, as Intune decides it per type. */
export function installContext(app: MobileApp): 'System' | 'User' {
  if (app['@odata.type'] === WINDOWS_MSI_APP) return app.useDeviceContext === false ? 'User' : 'System';
  return app.installExperience?.runAsAccount === 'user' ? 'User' : 'System';
}

// ---- Files and dates ------------------------------------------------------------------------------

/** The file's bytes as base64 (Graph's Edm.Binary). */
export async function fileAsBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso || iso.startsWith('0001-')) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export const yesNo = (b: boolean | null | undefined) => (b ? 'Yes' : 'No');

// ---- Layout ---------------------------------------------------------------------------------------

export const useFormStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '640px' },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', flexWrap: 'wrap' },
  grow: { flexGrow: 1, minWidth: '220px' },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  toolbar: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  muted: { color: tokens.colorNeutralForeground3 },
  properties: { display: 'grid', gridTemplateColumns: 'minmax(180px, max-content) 1fr', columnGap: tokens.spacingHorizontalXXL, rowGap: tokens.spacingVerticalS, margin: 0 },
  term: { color: tokens.colorNeutralForeground3 },
  value: { margin: 0, overflowWrap: 'anywhere' },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
});

/** A read-only list of a resource's properties (label: value), as the portal's Properties pages show them. */
export function Properties({ items, label }: { readonly items: readonly (readonly [string, ReactNode])[]; readonly label: string }) {
  const styles = useFormStyles();
  return (
    <dl className={styles.properties} aria-label={label}>
      {items.map(([name, value]) => (
        <div key={name} style={{ display: 'contents' }}>
          <dt className={styles.term}>{name}</dt>
          <dd className={styles.value}>{value === '' || value === null || value === undefined ? '—' : value}</dd>
        </div>
      ))}
    </dl>
  );
}
