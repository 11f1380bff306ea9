// An "All / Selected / None" setting with its selected users and groups (who may join devices, who becomes
// local administrator), or "All / Some / None" with groups (the MDM user scope): the radio buttons, the tags
// of the chosen objects and the picker to add more.
import { useState } from 'react';
import { Field, Link, Radio, RadioGroup, makeStyles, tokens } from '@fluentui/react-components';
import { ObjectPicker, type PickedObject } from './object-picker';
import { ObjectTags } from './object-tags';
import type { ObjectKind } from './objects';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  selected: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, paddingLeft: tokens.spacingHorizontalXXL },
});

export type Choice = 'all' | 'selected' | 'none';

export interface MembershipChoiceProps {
  readonly label: string;
  readonly hint?: string;
  readonly value: Choice;
  readonly objects: readonly PickedObject[];
  readonly kinds: readonly ObjectKind[];
  /** The word for `selected`: Selected (Entra) or Some (Intune). */
  readonly selectedLabel?: string;
  readonly problem?: string;
  readonly disabled?: boolean;
  readonly onChange: (value: Choice, objects: readonly PickedObject[]) => void;
}

export function MembershipChoice({ label, hint, value, objects, kinds, selectedLabel = 'Selected', problem, disabled, onChange }: MembershipChoiceProps) {
  const styles = useStyles();
  const [picking, setPicking] = useState(false);
  const what = kinds.includes('user') ? 'users and groups' : 'groups';
  return (
    <div className={styles.root}>
      <Field label={label} hint={hint} validationMessage={problem} validationState={problem ? 'error' : undefined}>
        <RadioGroup layout="horizontal" value={value} disabled={disabled} onChange={(_e, d) => onChange(d.value as Choice, objects)}>
          <Radio value="all" label="All" />
          <Radio value="selected" label={selectedLabel} />
          <Radio value="none" label="None" />
        </RadioGroup>
      </Field>
      {value === 'selected' && (
        <div className={styles.selected}>
          <ObjectTags
            label={`${label}: ${what}`}
            objects={objects}
            disabled={disabled}
            onRemove={(id) => onChange(value, objects.filter((o) => o.id !== id))}
            empty={`No ${what} selected.`}
          />
          <Link as="button" type="button" disabled={disabled} onClick={() => setPicking(true)} aria-label={`Add ${what}: ${label}`}>
            Add {what}
          </Link>
        </div>
      )}
      <ObjectPicker
        open={picking}
        title={`Add ${what}`}
        kinds={kinds}
        exclude={objects.map((o) => o.id)}
        onDismiss={() => setPicking(false)}
        onSelect={(picked) => {
          setPicking(false);
          onChange(value, [...objects, ...picked.filter((p) => !objects.some((o) => o.id === p.id))]);
        }}
      />
    </div>
  );
}
