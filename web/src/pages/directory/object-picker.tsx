// The portal's "Add members" / "Add owners" / "Select groups" pane: search users, groups, devices or
// enterprise applications through Graph ($search, ConsistencyLevel: eventual) and tick the ones to add.
// ObjectSearch is the pane's content, shown in place inside a form that is already a dialog (Fluent's
// stacked modal dialogs leave the lower one hidden from assistive technology when the upper one closes);
// ObjectPicker is the same in a dialog of its own.
import { useMemo, useState } from 'react';
import {
  Badge,
  Button,
  Checkbox,
  Dialog,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  SearchBox,
  Subtitle2,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { graph, useLoad, type GraphList } from '../../api';
import { ErrorBar } from '../../components/error-bar';
import { Loading } from '../../components/loading';
import { useOpenings } from './form';
import { COLLECTION, KIND_LABEL, SELECT, detailOf, nameOf, searchQuery, type DirectoryObject, type ObjectKind } from './objects';
import { useDebounced } from './use-debounced';

const useStyles = makeStyles({
  surface: { width: '640px', maxWidth: 'calc(100vw - 48px)' },
  pane: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  inline: {
    padding: tokens.spacingHorizontalM,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  list: {
    display: 'flex',
    flexDirection: 'column',
    maxHeight: '320px',
    minHeight: '96px',
    overflowY: 'auto',
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingVerticalXS,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, justifyContent: 'space-between' },
  label: { display: 'flex', flexDirection: 'column' },
  detail: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  muted: { color: tokens.colorNeutralForeground3, padding: tokens.spacingVerticalS },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, justifyContent: 'flex-end' },
});

export interface PickedObject extends DirectoryObject {
  readonly kind: ObjectKind;
}

export interface ObjectSearchProps {
  readonly title: string;
  readonly kinds: readonly ObjectKind[];
  /** Objects already there (members, owners): shown as such and not offered. */
  readonly exclude?: readonly string[];
  /** Objects not to list at all (a group is not offered as its own member). */
  readonly omit?: readonly string[];
  /** At most this many may be ticked (the portal's Validate rules takes 20). */
  readonly max?: number;
  readonly selectLabel?: string;
  readonly onDismiss: () => void;
  readonly onSelect: (objects: PickedObject[]) => void;
}

const PER_KIND = 15;
const PAUSE_MS = 250;

/** The first objects of each kind whose name has a word starting with `query` (or the first by name). */
async function searchDirectory(kinds: readonly ObjectKind[], query: string, signal: AbortSignal): Promise<PickedObject[]> {
  const lists = await Promise.all(
    kinds.map(async (kind) => {
      const filter = query ? `$search=${searchQuery(kind, query)}` : '$orderby=displayName';
      const path = `/v1.0/${COLLECTION[kind]}?${filter}&$select=${SELECT[kind]}&$top=${PER_KIND}`;
      const page = await graph<GraphList<DirectoryObject>>('GET', path, undefined, { signal, headers: { ConsistencyLevel: 'eventual' } });
      return page.value.map((o): PickedObject => ({ ...o, kind }));
    }),
  );
  return lists.flat();
}

/** The search, the results to tick and Select / Cancel, in place (mount it for each use). */
export function ObjectSearch({ title, kinds, exclude = [], omit = [], max, selectLabel = 'Select', onDismiss, onSelect, inline = true }: ObjectSearchProps & { readonly inline?: boolean }) {
  const styles = useStyles();
  const [text, setText] = useState('');
  const query = useDebounced(text.trim(), PAUSE_MS);
  const [picked, setPicked] = useState<Map<string, PickedObject>>(new Map());
  const results = useLoad((signal) => searchDirectory(kinds, query, signal), [query, kinds.join(',')]);

  const excluded = useMemo(() => new Set(exclude.map((id) => id.toLowerCase())), [exclude]);
  const full = max !== undefined && picked.size >= max;
  const toggle = (o: PickedObject, on: boolean) =>
    setPicked((p) => {
      const next = new Map(p);
      if (on) next.set(o.id, o);
      else next.delete(o.id);
      return next;
    });
  const what = kinds
    .map((k) => `${KIND_LABEL[k].toLowerCase()}s`)
    .join(', ')
    .replace(/, ([^,]*)$/, ' or $1');

  return (
    <div className={inline ? `${styles.pane} ${styles.inline}` : styles.pane} role={inline ? 'region' : undefined} aria-label={inline ? title : undefined}>
      {inline && <Subtitle2 as="h4">{title}</Subtitle2>}
      <SearchBox aria-label="Search" placeholder={`Search ${what} by name`} value={text} onChange={(_e, d) => setText(d.value)} autoFocus />
      <ErrorBar error={results.error} title="Could not search the directory" />
      <div className={styles.list} role="group" aria-label="Search results">
        {results.loading && !results.data && <Loading label="Searching…" />}
        {results.data?.length === 0 && <Text className={styles.muted}>Nothing found{query ? ` for "${query}"` : ''}.</Text>}
        {results.data?.filter((o) => !omit.includes(o.id)).map((o) => {
          const already = excluded.has(o.id.toLowerCase());
          const checked = already || picked.has(o.id);
          return (
            <div key={`${o.kind}:${o.id}`} className={styles.row}>
              <Checkbox
                checked={checked}
                disabled={already || (full && !checked)}
                onChange={(_e, d) => toggle(o, d.checked === true)}
                label={
                  <span className={styles.label}>
                    <span>{nameOf(o)}</span>
                    <span className={styles.detail}>{already ? 'Already added' : detailOf(o, o.kind)}</span>
                  </span>
                }
                aria-label={nameOf(o)}
              />
              {kinds.length > 1 && (
                <Badge appearance="tint" color="informative">
                  {KIND_LABEL[o.kind]}
                </Badge>
              )}
            </div>
          );
        })}
      </div>
      <Text size={200}>
        {picked.size === 0 ? 'Nothing selected.' : `${picked.size} selected: ${[...picked.values()].map(nameOf).join(', ')}.`}
        {max !== undefined && ` At most ${max}.`}
      </Text>
      <div className={styles.actions}>
        <Button appearance="primary" disabled={picked.size === 0} onClick={() => onSelect([...picked.values()])}>
          {selectLabel}
        </Button>
        <Button onClick={onDismiss}>Cancel</Button>
      </div>
    </div>
  );
}

export interface ObjectPickerProps extends ObjectSearchProps {
  readonly open: boolean;
}

/** ObjectSearch in a dialog of its own (not inside another dialog). */
export function ObjectPicker({ open, ...props }: ObjectPickerProps) {
  const styles = useStyles();
  const openings = useOpenings(open);
  return (
    <Dialog open={open} onOpenChange={(_e, d) => !d.open && props.onDismiss()}>
      <DialogSurface className={styles.surface} aria-label={props.title}>
        <DialogBody>
          <DialogTitle>{props.title}</DialogTitle>
          <DialogContent>{open && <ObjectSearch key={openings} {...props} inline={false} />}</DialogContent>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
