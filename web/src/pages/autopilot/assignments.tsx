// Assignments of a profile or configuration: included groups, excluded groups, and (where the resource takes
// them) all devices or all users, as the portal's Assignments page edits them. Converts to and from Graph's
// assignment targets; group names are read with directoryObjects/getByIds.
import { Button, Checkbox, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from '@fluentui/react-components';
import { DeleteRegular } from '@fluentui/react-icons/svg/delete';
import { graph, useLoad } from '../../api';
import { GroupPicker, groupKind, type GroupRef } from './pickers';
import { useUiStyles } from './ui';

export const GROUP_TARGET = '#microsoft.graph.groupAssignmentTarget';
export const EXCLUSION_TARGET = '#microsoft.graph.exclusionGroupAssignmentTarget';
export const ALL_USERS_TARGET = '#microsoft.graph.allLicensedUsersAssignmentTarget';
export const ALL_DEVICES_TARGET = '#microsoft.graph.allDevicesAssignmentTarget';

export interface Target {
  readonly '@odata.type': string;
  readonly groupId?: string | null;
  readonly deviceAndAppManagementAssignmentFilterId?: string | null;
  readonly deviceAndAppManagementAssignmentFilterType?: string | null;
}

export interface Assignment {
  readonly id: string;
  readonly target: Target;
}

export interface Targets {
  readonly included: readonly GroupRef[];
  readonly excluded: readonly GroupRef[];
  readonly allDevices: boolean;
  readonly allUsers: boolean;
}

export const NO_TARGETS: Targets = { included: [], excluded: [], allDevices: false, allUsers: false };

const sameType = (t: Target, type: string) => String(t['@odata.type'] ?? '').toLowerCase() === type.toLowerCase();

/** The group ids an assignment list names. */
export const groupIdsOf = (assignments: readonly Assignment[] | undefined) =>
  (assignments ?? []).map((a) => a.target.groupId).filter((id): id is string => typeof id === 'string');

export function targetsOf(assignments: readonly Assignment[] | undefined, names: Readonly<Record<string, GroupRef>>): Targets {
  const list = assignments ?? [];
  const group = (id: string): GroupRef => names[id] ?? { id, displayName: id };
  return {
    included: list.filter((a) => sameType(a.target, GROUP_TARGET) && a.target.groupId).map((a) => group(a.target.groupId!)),
    excluded: list.filter((a) => sameType(a.target, EXCLUSION_TARGET) && a.target.groupId).map((a) => group(a.target.groupId!)),
    allDevices: list.some((a) => sameType(a.target, ALL_DEVICES_TARGET)),
    allUsers: list.some((a) => sameType(a.target, ALL_USERS_TARGET)),
  };
}

/** Graph targets for the edited assignments, in the portal's order: all users/devices, included, excluded. */
export function graphTargets(t: Targets): Target[] {
  return [
    ...(t.allUsers ? [{ '@odata.type': ALL_USERS_TARGET }] : []),
    ...(t.allDevices ? [{ '@odata.type': ALL_DEVICES_TARGET }] : []),
    ...t.included.map((g) => ({ '@odata.type': GROUP_TARGET, groupId: g.id })),
    ...t.excluded.map((g) => ({ '@odata.type': EXCLUSION_TARGET, groupId: g.id })),
  ];
}

export const targetKey = (t: Target) => `${String(t['@odata.type']).toLowerCase()}|${String(t.groupId ?? '').toLowerCase()}`;

export const isAssigned = (assignments: readonly Assignment[] | undefined) => (assignments ?? []).some((a) => !sameType(a.target, EXCLUSION_TARGET));

/** Group names (and kinds) by id, for the groups the given assignments name. */
export function useGroupNames(ids: readonly string[]) {
  const unique = [...new Set(ids.map((i) => i.toLowerCase()))].sort();
  const key = unique.join(',');
  return useLoad<Record<string, GroupRef>>(
    unique.length === 0
      ? async () => ({})
      : async (signal) => {
          const found = await graph<{ value: GroupRef[] }>('POST', '/v1.0/directoryObjects/getByIds', { ids: unique, types: ['group'] }, { signal });
          return Object.fromEntries(found.value.map((g) => [g.id.toLowerCase(), g]));
        },
    [key],
  );
}

/** One line that says who a profile is assigned to, as the lists show it. */
export function assignmentSummary(assignments: readonly Assignment[] | undefined, names: Readonly<Record<string, GroupRef>>): string {
  const t = targetsOf(assignments, names);
  const parts = [
    ...(t.allUsers ? ['All users'] : []),
    ...(t.allDevices ? ['All devices'] : []),
    ...t.included.map((g) => g.displayName),
    ...(t.excluded.length > 0 ? [`excluding ${t.excluded.map((g) => g.displayName).join(', ')}`] : []),
  ];
  return parts.length === 0 ? 'Not assigned' : parts.join(', ');
}

const useStyles = makeStyles({
  block: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

function GroupTable({ label, groups, onRemove }: { label: string; groups: readonly GroupRef[]; onRemove: (id: string) => void }) {
  const ui = useUiStyles();
  if (groups.length === 0) return <Text className={ui.muted}>No groups.</Text>;
  return (
    <Table aria-label={label} size="small">
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Group</TableHeaderCell>
          <TableHeaderCell>Membership</TableHeaderCell>
          <TableHeaderCell style={{ width: 48 }} />
        </TableRow>
      </TableHeader>
      <TableBody>
        {groups.map((g) => (
          <TableRow key={g.id}>
            <TableCell>{g.displayName}</TableCell>
            <TableCell>{g.groupTypes ? groupKind(g) : ''}</TableCell>
            <TableCell>
              <Button appearance="subtle" size="small" icon={<DeleteRegular />} aria-label={`Remove ${g.displayName}`} onClick={() => onRemove(g.id)} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

export interface AssignmentsEditorProps {
  readonly value: Targets;
  readonly onChange: (value: Targets) => void;
  /** Offer "All devices" / "All users" (the resource accepts them). */
  readonly allDevices?: boolean;
  readonly allUsers?: boolean;
  /** Offer excluded groups. */
  readonly exclusions?: boolean;
  readonly hint?: string;
}

export function AssignmentsEditor({ value, onChange, allDevices, allUsers, exclusions = true, hint }: AssignmentsEditorProps) {
  const styles = useStyles();
  const ui = useUiStyles();
  const chosen = new Set([...value.included, ...value.excluded].map((g) => g.id));
  return (
    <div className={styles.block}>
      {hint && <Text className={ui.muted}>{hint}</Text>}
      {(allUsers || allDevices) && (
        <div className={ui.toolbar}>
          {allUsers && <Checkbox label="All users" checked={value.allUsers} onChange={(_, d) => onChange({ ...value, allUsers: !!d.checked })} />}
          {allDevices && <Checkbox label="All devices" checked={value.allDevices} onChange={(_, d) => onChange({ ...value, allDevices: !!d.checked })} />}
        </div>
      )}
      {value.allDevices && value.excluded.length > 0 && (
        <Text role="status" style={{ color: tokens.colorPaletteDarkOrangeForeground1 }}>
          Excluded groups together with All devices are not recommended: a device can get the assignment before its group membership is known.
        </Text>
      )}
      <GroupPicker label="Included groups" exclude={chosen} onPick={(g) => onChange({ ...value, included: [...value.included, g] })} />
      <GroupTable label="Included groups" groups={value.included} onRemove={(id) => onChange({ ...value, included: value.included.filter((g) => g.id !== id) })} />
      {exclusions && (
        <>
          <GroupPicker label="Excluded groups" exclude={chosen} onPick={(g) => onChange({ ...value, excluded: [...value.excluded, g] })} />
          <GroupTable label="Excluded groups" groups={value.excluded} onRemove={(id) => onChange({ ...value, excluded: value.excluded.filter((g) => g.id !== id) })} />
        </>
      )}
    </div>
  );
}
