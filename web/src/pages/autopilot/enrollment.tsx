// What the Enrollment Status Page and enrollment restriction screens share: the configurations of
// /beta/deviceManagement/deviceEnrollmentConfigurations, their priority (1 is highest; the default is 0 and
// always last) changed with setPriority, and their assignments replaced with assign.
import { useEffect, useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  SpinButton,
} from '@fluentui/react-components';
import { MoreHorizontalRegular } from '@fluentui/react-icons/svg/more-horizontal';
import { asApiError, graph, type ApiError } from '../../api';
import { ErrorBar } from '../../components/error-bar';
import type { Assignment, Target } from './assignments';

export const CONFIGURATIONS = '/beta/deviceManagement/deviceEnrollmentConfigurations';

export interface EnrollmentConfiguration {
  readonly id: string;
  readonly '@odata.type': string;
  readonly displayName: string;
  readonly description?: string;
  readonly priority: number;
  readonly version?: number;
  readonly createdDateTime?: string;
  readonly lastModifiedDateTime?: string;
  readonly deviceEnrollmentConfigurationType?: string;
  readonly assignments?: Assignment[];
  readonly [key: string]: unknown;
}

export const isDefault = (c: EnrollmentConfiguration) => c.priority === 0;

export const priorityLabel = (c: EnrollmentConfiguration) => (isDefault(c) ? 'Default' : String(c.priority));

/** Replaces the configuration's assignments (the assign action takes the whole set). */
export async function assignConfiguration(id: string, targets: readonly Target[]): Promise<void> {
  await graph('POST', `${CONFIGURATIONS}/${encodeURIComponent(id)}/assign`, {
    enrollmentConfigurationAssignments: targets.map((target) => ({ '@odata.type': '#microsoft.graph.enrollmentConfigurationAssignment', target })),
  });
}

export async function setPriority(id: string, priority: number): Promise<void> {
  await graph('POST', `${CONFIGURATIONS}/${encodeURIComponent(id)}/setPriority`, { priority });
}

export interface RowActionsProps {
  readonly config: EnrollmentConfiguration;
  /** How many custom configurations share the priority order. */
  readonly count: number;
  readonly onEdit: () => void;
  readonly onDelete?: () => void;
  readonly onChanged: () => void;
  readonly onError: (error: ApiError | undefined) => void;
}

/** The "…" menu of a row: edit, move up or down, change priority, delete (defaults: edit only). */
export function RowActions({ config, count, onEdit, onDelete, onChanged, onError }: RowActionsProps) {
  const [choosing, setChoosing] = useState(false);
  const move = async (to: number) => {
    onError(undefined);
    try {
      await setPriority(config.id, to);
      onChanged();
    } catch (err) {
      onError(asApiError(err));
    }
  };
  const custom = !isDefault(config);
  return (
    <>
      <Menu>
        <MenuTrigger disableButtonEnhancement>
          <Button appearance="subtle" size="small" icon={<MoreHorizontalRegular />} aria-label={`Actions for ${config.displayName}`} />
        </MenuTrigger>
        <MenuPopover>
          <MenuList>
            <MenuItem onClick={onEdit}>Edit</MenuItem>
            {custom && (
              <>
                <MenuItem disabled={config.priority <= 1} onClick={() => void move(config.priority - 1)}>
                  Move up
                </MenuItem>
                <MenuItem disabled={config.priority >= count} onClick={() => void move(config.priority + 1)}>
                  Move down
                </MenuItem>
                <MenuItem disabled={count <= 1} onClick={() => setChoosing(true)}>
                  Change priority…
                </MenuItem>
                {onDelete && <MenuItem onClick={onDelete}>Delete</MenuItem>}
              </>
            )}
          </MenuList>
        </MenuPopover>
      </Menu>
      <PriorityDialog open={choosing} config={config} count={count} onClose={() => setChoosing(false)} onChanged={onChanged} />
    </>
  );
}

function PriorityDialog({ open, config, count, onClose, onChanged }: { open: boolean; config: EnrollmentConfiguration; count: number; onClose: () => void; onChanged: () => void }) {
  const [value, setValue] = useState<number | null>(config.priority);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  useEffect(() => {
    if (open) {
      setValue(config.priority);
      setError(undefined);
    }
  }, [open, config.priority]);
  const problem = value === null || !Number.isInteger(value) || value < 1 || value > count ? `Enter a priority from 1 to ${count}.` : undefined;
  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await setPriority(config.id, value!);
      onChanged();
      onClose();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={open} onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Priority of {config.displayName}</DialogTitle>
          <DialogContent style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
            <ErrorBar error={error} title="Could not change the priority" />
            <Field label="Priority" hint="1 is the highest: a user or device in the groups of several wins the one with the lowest number." validationMessage={problem}>
              <SpinButton value={value} min={1} max={count} onChange={(_, d) => setValue(d.value ?? (d.displayValue ? Number(d.displayValue) : null))} />
            </Field>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabled={!!problem || busy} onClick={save}>
              Save
            </Button>
            <Button onClick={onClose}>Cancel</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
