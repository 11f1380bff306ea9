// Search-as-you-type pickers over Graph: groups (for assignments), users (a device's assigned user) and
// apps (the Enrollment Status Page's blocking apps). Each asks Graph for the first matches by name.
import { useRef, useState } from 'react';
import { Combobox, Field, Option, Text } from '@fluentui/react-components';
import { graph, useLoad, type GraphList } from '../../api';
import { odataString, useDebounced } from './ui';

export interface GroupRef {
  readonly id: string;
  readonly displayName: string;
  readonly groupTypes?: readonly string[];
  readonly membershipRule?: string | null;
}

export interface UserRef {
  readonly id: string;
  readonly displayName: string;
  readonly userPrincipalName: string;
}

const MATCHES = 20;

interface SearchPickerProps<T> {
  readonly label: string;
  readonly placeholder: string;
  /** Loads up to MATCHES items whose names start with `query` ('' for the first by name). */
  readonly search: (query: string, signal: AbortSignal) => Promise<T[]>;
  readonly keyOf: (item: T) => string;
  readonly textOf: (item: T) => string;
  readonly detailOf?: (item: T) => string | undefined;
  /** Items already chosen: not offered again. */
  readonly exclude?: ReadonlySet<string>;
  readonly onPick: (item: T) => void;
  readonly hint?: string;
  readonly disabled?: boolean;
}

function SearchPicker<T>({ label, placeholder, search, keyOf, textOf, detailOf, exclude, onPick, hint, disabled }: SearchPickerProps<T>) {
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const settled = useDebounced(query.trim(), 200);
  const found = useLoad(open ? (signal) => search(settled, signal) : null, [settled, open]);
  // The last answer stays up while the next one loads, so the options do not vanish under the pointer.
  const last = useRef<T[] | undefined>(undefined);
  if (found.data) last.current = found.data;
  const shown = open ? last.current : undefined;
  const items = (shown ?? []).filter((i) => !exclude?.has(keyOf(i)));
  return (
    <Field label={label} hint={hint} validationMessage={found.error?.message}>
      <Combobox
        placeholder={placeholder}
        freeform
        disabled={disabled}
        value={query}
        open={open}
        onOpenChange={(_, d) => setOpen(d.open)}
        onInput={(e) => {
          setQuery((e.target as HTMLInputElement).value);
          setOpen(true);
        }}
        onOptionSelect={(_, d) => {
          const item = items.find((i) => keyOf(i) === d.optionValue);
          if (item) onPick(item);
          setQuery('');
        }}
      >
        {items.map((i) => (
          <Option key={keyOf(i)} value={keyOf(i)} text={textOf(i)}>
            <div style={{ display: 'flex', flexDirection: 'column' }}>
              <span>{textOf(i)}</span>
              {detailOf?.(i) && <Text size={200}>{detailOf(i)}</Text>}
            </div>
          </Option>
        ))}
        {shown && items.length === 0 && (
          <Option key="none" value="" text="" disabled>
            {found.loading ? 'Searching…' : 'No matches'}
          </Option>
        )}
      </Combobox>
    </Field>
  );
}

export function groupKind(g: GroupRef): string {
  return g.groupTypes?.includes('DynamicMembership') ? 'Dynamic' : 'Assigned';
}

async function searchGroups(query: string, signal: AbortSignal): Promise<GroupRef[]> {
  const filter = query ? `&$filter=${encodeURIComponent(`startswith(displayName,${odataString(query)})`)}` : '';
  const page = await graph<GraphList<GroupRef>>('GET', `/v1.0/groups?$select=id,displayName,groupTypes,membershipRule&$orderby=displayName&$top=${MATCHES}${filter}`, undefined, { signal });
  return page.value;
}

export function GroupPicker(props: { label: string; exclude?: ReadonlySet<string>; onPick: (g: GroupRef) => void; hint?: string; disabled?: boolean }) {
  return (
    <SearchPicker<GroupRef>
      {...props}
      placeholder="Search groups by name"
      search={searchGroups}
      keyOf={(g) => g.id}
      textOf={(g) => g.displayName}
      detailOf={(g) => (g.membershipRule ? `Dynamic: ${g.membershipRule}` : `${groupKind(g)} group`)}
    />
  );
}

async function searchUsers(query: string, signal: AbortSignal): Promise<UserRef[]> {
  const q = odataString(query);
  const filter = query ? `&$filter=${encodeURIComponent(`startswith(displayName,${q}) or startswith(userPrincipalName,${q})`)}` : '';
  const page = await graph<GraphList<UserRef>>('GET', `/v1.0/users?$select=id,displayName,userPrincipalName&$top=${MATCHES}${filter}`, undefined, { signal });
  return page.value;
}

export function UserPicker(props: { label: string; onPick: (u: UserRef) => void; hint?: string; disabled?: boolean }) {
  return (
    <SearchPicker<UserRef>
      {...props}
      placeholder="Search users by name or user principal name"
      search={searchUsers}
      keyOf={(u) => u.id}
      textOf={(u) => u.userPrincipalName}
      detailOf={(u) => u.displayName}
    />
  );
}

export interface AppRef {
  readonly id: string;
  readonly displayName: string;
  readonly '@odata.type'?: string;
}

async function searchApps(query: string, signal: AbortSignal): Promise<AppRef[]> {
  const filter = query ? `&$filter=${encodeURIComponent(`startswith(displayName,${odataString(query)})`)}` : '';
  const page = await graph<GraphList<AppRef>>('GET', `/beta/deviceAppManagement/mobileApps?$select=id,displayName&$orderby=displayName&$top=${MATCHES}${filter}`, undefined, { signal });
  return page.value;
}

export const appKind = (a: AppRef) =>
  ({
    '#microsoft.graph.win32LobApp': 'Windows app (Win32)',
    '#microsoft.graph.windowsMobileMSI': 'Line-of-business app (MSI)',
    '#microsoft.graph.winGetApp': 'Microsoft Store app (new)',
    '#microsoft.graph.officeSuiteApp': 'Microsoft 365 Apps',
  })[a['@odata.type'] ?? ''] ?? (a['@odata.type'] ?? '').replace('#microsoft.graph.', '');

export function AppPicker(props: { label: string; exclude?: ReadonlySet<string>; onPick: (a: AppRef) => void; hint?: string; disabled?: boolean }) {
  return <SearchPicker<AppRef> {...props} placeholder="Search apps by name" search={searchApps} keyOf={(a) => a.id} textOf={(a) => a.displayName} detailOf={appKind} />;
}
