// Chosen users, groups, devices or applications as removable tags (owners and members of a new group, the
// users and groups of a "Selected" setting).
import { Tag, TagGroup, Text, makeStyles, tokens } from '@fluentui/react-components';
import { KIND_LABEL, nameOf, type DirectoryObject, type ObjectKind } from './objects';

const useStyles = makeStyles({
  group: { flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
  none: { color: tokens.colorNeutralForeground3 },
});

export interface ObjectTagsProps {
  readonly label: string;
  readonly objects: readonly (DirectoryObject & { readonly kind: ObjectKind })[];
  /** Without it, the tags cannot be removed. */
  readonly onRemove?: (id: string) => void;
  readonly empty: string;
  readonly disabled?: boolean;
}

export function ObjectTags({ label, objects, onRemove, empty, disabled }: ObjectTagsProps) {
  const styles = useStyles();
  if (objects.length === 0) return <Text className={styles.none}>{empty}</Text>;
  return (
    <TagGroup className={styles.group} aria-label={label} onDismiss={onRemove && !disabled ? (_e, d) => onRemove(String(d.value)) : undefined} size="small">
      {objects.map((o) => (
        <Tag key={o.id} value={o.id} dismissible={!!onRemove && !disabled} secondaryText={KIND_LABEL[o.kind]} dismissIcon={{ 'aria-label': `Remove ${nameOf(o)}` }}>
          {nameOf(o)}
        </Tag>
      ))}
    </TagGroup>
  );
}
