// The Assignments section of an app or a script: the groups it is assigned to (with the app's intent and
// group mode), a form to add a group, and Remove. Graph's `assign` replaces the whole set, so every change
// sends the full list; a refusal is shown as Graph words it and nothing changes.
import { useState } from 'react';
import {
  Button,
  Dropdown,
  Field,
  Option,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { DeleteRegular } from '@fluentui/react-icons/svg/delete';
import { AddRegular } from '@fluentui/react-icons/svg/add';
import { asApiError, type ApiError } from '../../api';
import { ErrorBar } from '../../components/error-bar';
import { GroupPicker, groupTarget, modeOf, targetName, useFormStyles, type Group, type GroupMode, type Target } from './common';

export interface AssignmentRow {
  readonly intent?: string;
  readonly target: Target;
}

export interface AssignmentsEditorProps {
  readonly rows: readonly AssignmentRow[];
  readonly groups: readonly Group[];
  /** Apps: the intents offered, in order, with their names; scripts have none. */
  readonly intents?: readonly (readonly [string, string])[];
  /** An extra column (the app's install context). */
  readonly extra?: { readonly title: string; readonly value: (row: AssignmentRow) => string };
  /** Sends the whole new set; the caller reloads afterwards. */
  readonly save: (rows: readonly AssignmentRow[]) => Promise<void>;
}

export function AssignmentsEditor({ rows, groups, intents, extra, save }: AssignmentsEditorProps) {
  const styles = useFormStyles();
  const [intent, setIntent] = useState(intents?.[0]?.[0] ?? '');
  const [groupId, setGroupId] = useState<string | null>(null);
  const [mode, setMode] = useState<GroupMode>('included');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  // A new picker after each add, so its search text starts empty.
  const [pickerKey, setPickerKey] = useState(0);
  const intentName = (i: string | undefined) => intents?.find(([id]) => id === i)?.[1] ?? i ?? '';
  const taken = rows.map((r) => r.target.groupId).filter((g): g is string => !!g);
  // Graph lists them in no particular order: by intent, then included before excluded, then by group.
  const rank = (r: AssignmentRow) => [intents?.findIndex(([id]) => id === r.intent) ?? 0, modeOf(r.target) === 'Included' ? 0 : 1, targetName(r.target, groups).toLowerCase()] as const;
  const shown = rows
    .map((row, index) => ({ row, index, rank: rank(row) }))
    .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.rank[2].localeCompare(b.rank[2]));

  const run = async (next: readonly AssignmentRow[]) => {
    setBusy(true);
    setError(undefined);
    try {
      await save(next);
      return true;
    } catch (err) {
      setError(asApiError(err));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const add = async () => {
    if (!groupId) {
      setMissing(true);
      return;
    }
    const row: AssignmentRow = { ...(intents ? { intent } : {}), target: groupTarget(groupId, mode) };
    if (await run([...rows, row])) {
      setGroupId(null);
      setMissing(false);
      setPickerKey((k) => k + 1);
    }
  };

  return (
    <section className={styles.section} aria-labelledby="assignments-title">
      <Subtitle2 as="h2" id="assignments-title">
        Assignments
      </Subtitle2>
      <ErrorBar error={error} title="Could not save the assignments" />
      {rows.length === 0 ? (
        <Text className={styles.muted}>Not assigned to any group.</Text>
      ) : (
        <Table aria-label="Assignments" size="small" style={{ tableLayout: 'auto', maxWidth: '960px' }}>
          <TableHeader>
            <TableRow>
              {intents && <TableHeaderCell>Intent</TableHeaderCell>}
              <TableHeaderCell>Group mode</TableHeaderCell>
              <TableHeaderCell>Group</TableHeaderCell>
              {extra && <TableHeaderCell>{extra.title}</TableHeaderCell>}
              <TableHeaderCell style={{ width: '120px' }} />
            </TableRow>
          </TableHeader>
          <TableBody>
            {shown.map(({ row: r, index: i }) => {
              const name = targetName(r.target, groups);
              return (
                <TableRow key={`${r.target['@odata.type']}|${r.target.groupId ?? ''}`}>
                  {intents && <TableCell>{intentName(r.intent)}</TableCell>}
                  <TableCell>{modeOf(r.target)}</TableCell>
                  <TableCell>{name}</TableCell>
                  {extra && <TableCell>{extra.value(r)}</TableCell>}
                  <TableCell>
                    <Button size="small" appearance="subtle" icon={<DeleteRegular />} disabled={busy} aria-label={`Remove ${name}`} onClick={() => void run(rows.filter((_, j) => j !== i))}>
                      Remove
                    </Button>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      <div className={styles.row}>
        {intents && (
          <Field label="Intent">
            <Dropdown value={intentName(intent)} selectedOptions={[intent]} onOptionSelect={(_e, d) => setIntent(d.optionValue ?? intent)}>
              {intents.map(([id, name]) => (
                <Option key={id} value={id}>
                  {name}
                </Option>
              ))}
            </Dropdown>
          </Field>
        )}
        <div className={styles.grow}>
          <GroupPicker
            key={pickerKey}
            label="Group"
            groups={groups}
            value={groupId}
            exclude={taken}
            onChange={(g) => {
              setGroupId(g);
              if (g) setMissing(false);
            }}
            validationMessage={missing ? 'Select a group to add.' : undefined}
          />
        </div>
        <Field label="Group mode">
          <Dropdown value={mode === 'included' ? 'Included' : 'Excluded'} selectedOptions={[mode]} onOptionSelect={(_e, d) => setMode((d.optionValue as GroupMode) ?? 'included')}>
            <Option value="included">Included</Option>
            <Option value="excluded">Excluded</Option>
          </Dropdown>
        </Field>
        <Button icon={<AddRegular />} disabled={busy} onClick={() => void add()}>
          Add group
        </Button>
      </div>
    </section>
  );
}
