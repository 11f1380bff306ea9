// Building blocks the Autopilot and enrollment screens share: the portal's two-way choices (Show/Hide,
// Yes/No, Allow/Block), the side panel a form opens in, a confirmation dialog, section headings, and the
// small hooks the forms use.
import { useEffect, useState, type ReactNode } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DrawerBody,
  DrawerFooter,
  DrawerHeader,
  DrawerHeaderTitle,
  Field,
  OverlayDrawer,
  Radio,
  RadioGroup,
  Spinner,
  Subtitle2,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { DismissRegular } from '@fluentui/react-icons/svg/dismiss';
import { asApiError, type ApiError } from '../../api';
import { ErrorBar } from '../../components/error-bar';

export const useUiStyles = makeStyles({
  toolbar: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, paddingBottom: tokens.spacingVerticalL },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  sectionTitle: { paddingTop: tokens.spacingVerticalS, borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` },
  nested: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, paddingLeft: tokens.spacingHorizontalL, borderLeft: `${tokens.strokeWidthThick} solid ${tokens.colorNeutralStroke2}` },
  muted: { color: tokens.colorNeutralForeground3 },
  properties: { display: 'grid', gridTemplateColumns: 'minmax(200px, max-content) 1fr', columnGap: tokens.spacingHorizontalXXL, rowGap: tokens.spacingVerticalS, margin: 0 },
  term: { color: tokens.colorNeutralForeground3 },
  value: { margin: 0, overflowWrap: 'anywhere' },
  row: { cursor: 'pointer' },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, overflowWrap: 'anywhere' },
});

export interface ChoiceProps<T extends string> {
  readonly label: string;
  readonly value: T;
  readonly options: readonly (readonly [T, string])[];
  readonly onChange: (value: T) => void;
  readonly hint?: string;
  readonly disabled?: boolean;
}

/** A setting with two or three answers, shown side by side as the portal does. */
export function Choice<T extends string>({ label, value, options, onChange, hint, disabled }: ChoiceProps<T>) {
  return (
    <Field label={label} hint={hint}>
      <RadioGroup layout="horizontal" value={value} disabled={disabled} onChange={(_, d) => onChange(d.value as T)}>
        {options.map(([v, text]) => (
          <Radio key={v} value={v} label={text} />
        ))}
      </RadioGroup>
    </Field>
  );
}

export const YES_NO = [
  ['yes', 'Yes'],
  ['no', 'No'],
] as const;
export const yesNo = (b: boolean): 'yes' | 'no' => (b ? 'yes' : 'no');

/** A yes/no setting bound to a boolean. */
export function YesNo({ label, value, onChange, hint, disabled }: { label: string; value: boolean; onChange: (v: boolean) => void; hint?: string; disabled?: boolean }) {
  return <Choice label={label} value={yesNo(value)} options={YES_NO} onChange={(v) => onChange(v === 'yes')} hint={hint} disabled={disabled} />;
}

export function Section({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  const styles = useUiStyles();
  return (
    <section className={styles.section} aria-label={title}>
      <div className={styles.sectionTitle} style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
        <Subtitle2 as="h2">{title}</Subtitle2>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** Name / value pairs of an object's properties. */
export function Properties({ items }: { items: readonly (readonly [string, ReactNode])[] }) {
  const styles = useUiStyles();
  return (
    <dl className={styles.properties}>
      {items.map(([term, value]) => (
        <div key={term} style={{ display: 'contents' }}>
          <dt className={styles.term}>{term}</dt>
          <dd className={styles.value}>{value === '' || value === null || value === undefined ? <Text className={styles.muted}>None</Text> : value}</dd>
        </div>
      ))}
    </dl>
  );
}

export interface FormDrawerProps {
  readonly open: boolean;
  readonly title: string;
  readonly onClose: () => void;
  /** Runs the save; the drawer closes when it resolves and shows the error when it throws. */
  readonly onSave?: () => Promise<void>;
  readonly saveLabel?: string;
  /** False while the form has an error of its own: Save is disabled. */
  readonly canSave?: boolean;
  readonly size?: 'small' | 'medium' | 'large';
  readonly children: ReactNode;
  /** Extra buttons in the footer (left of Cancel). */
  readonly footer?: ReactNode;
}

/** The side panel a create or edit form opens in, with Save and Cancel and the service's error. */
export function FormDrawer({ open, title, onClose, onSave, saveLabel = 'Save', canSave = true, size = 'medium', children, footer }: FormDrawerProps) {
  const styles = useUiStyles();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  useEffect(() => {
    if (open) setError(undefined);
  }, [open]);
  const save = async () => {
    if (!onSave) return;
    setBusy(true);
    setError(undefined);
    try {
      await onSave();
      onClose();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <OverlayDrawer open={open} position="end" size={size} onOpenChange={(_, d) => !d.open && !busy && onClose()}>
      <DrawerHeader>
        <DrawerHeaderTitle action={<Button appearance="subtle" aria-label="Dismiss" icon={<DismissRegular />} onClick={onClose} disabled={busy} />}>{title}</DrawerHeaderTitle>
      </DrawerHeader>
      <DrawerBody>
        <div className={styles.form}>
          <ErrorBar error={error} title="The service refused the change" />
          {children}
        </div>
      </DrawerBody>
      <DrawerFooter>
        {onSave && (
          <Button appearance="primary" onClick={save} disabled={busy || !canSave} icon={busy ? <Spinner size="tiny" /> : undefined}>
            {saveLabel}
          </Button>
        )}
        {footer}
        <Button onClick={onClose} disabled={busy}>
          {onSave ? 'Cancel' : 'Close'}
        </Button>
      </DrawerFooter>
    </OverlayDrawer>
  );
}

export interface ConfirmProps {
  readonly open: boolean;
  readonly title: string;
  readonly children: ReactNode;
  readonly confirmLabel: string;
  readonly onConfirm: () => Promise<void>;
  readonly onClose: () => void;
}

/** "Are you sure?" before a deletion, showing the service's refusal when there is one. */
export function ConfirmDialog({ open, title, children, confirmLabel, onConfirm, onClose }: ConfirmProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  useEffect(() => {
    if (open) setError(undefined);
  }, [open]);
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
      onClose();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={open} onOpenChange={(_, d) => !d.open && !busy && onClose()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{title}</DialogTitle>
          <DialogContent style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
            <ErrorBar error={error} title="The service refused" />
            <div>{children}</div>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={confirm} disabled={busy}>
              {confirmLabel}
            </Button>
            <Button onClick={onClose} disabled={busy}>
              Cancel
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

/** `value`, once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms = 250): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** A value for a Graph $filter string literal. */
export const odataString = (s: string) => `'${s.replace(/'/g, "''")}'`;
