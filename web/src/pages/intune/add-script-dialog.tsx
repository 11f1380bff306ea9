// "Add" a Windows PowerShell platform script: its name, the .ps1 file (sent base64-encoded, as Graph's
// scriptContent is), and the portal's three Yes/No script settings.
import { useRef, useState, type FormEvent } from 'react';
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Input, Radio, RadioGroup, Text, Textarea } from '@fluentui/react-components';
import { asApiError, graph, type ApiError } from '../../api';
import { ErrorBar } from '../../components/error-bar';
import { fileAsBase64, useFormStyles, type Target } from './common';

/** "The script must be less than 200 KB (ASCII)." */
const MAX_SCRIPT_BYTES = 200 * 1024;

export interface Script {
  readonly id: string;
  readonly displayName: string;
  readonly description?: string | null;
  readonly fileName?: string;
  readonly runAsAccount?: 'system' | 'user';
  readonly runAs32Bit?: boolean;
  readonly enforceSignatureCheck?: boolean;
  readonly createdDateTime?: string;
  readonly lastModifiedDateTime?: string;
  readonly assignments?: readonly { readonly id?: string; readonly target: Target }[];
}

interface Draft {
  displayName: string;
  description: string;
  file: File | null;
  loggedOnCredentials: boolean;
  enforceSignatureCheck: boolean;
  run64Bit: boolean;
}

const EMPTY: Draft = { displayName: '', description: '', file: null, loggedOnCredentials: false, enforceSignatureCheck: false, run64Bit: true };

function check(d: Draft): Partial<Record<'displayName' | 'file', string>> {
  const e: Partial<Record<'displayName' | 'file', string>> = {};
  if (d.displayName.trim() === '') e.displayName = 'Name is required.';
  if (!d.file) e.file = 'Select the PowerShell script to upload.';
  else if (!/\.ps1$/i.test(d.file.name)) e.file = 'The script must be a PowerShell script file (.ps1).';
  else if (d.file.size === 0) e.file = 'The file is empty.';
  else if (d.file.size >= MAX_SCRIPT_BYTES) e.file = `The file is ${Math.ceil(d.file.size / 1024)} KB; a script must be less than 200 KB.`;
  return e;
}

function YesNo({ label, value, onChange, hint }: { label: string; value: boolean; onChange: (v: boolean) => void; hint?: string }) {
  return (
    <Field label={label} hint={hint}>
      <RadioGroup layout="horizontal" value={value ? 'yes' : 'no'} onChange={(_e, d) => onChange(d.value === 'yes')}>
        <Radio value="yes" label="Yes" />
        <Radio value="no" label="No" />
      </RadioGroup>
    </Field>
  );
}

export interface AddScriptDialogProps {
  readonly open: boolean;
  readonly onClose: () => void;
  readonly onCreated: (script: Script) => void;
}

export function AddScriptDialog({ open, onClose, onCreated }: AddScriptDialogProps) {
  const styles = useFormStyles();
  const [d, setDraft] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<ReturnType<typeof check>>({});
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    setDraft((x) => ({ ...x, [k]: v }));
    if (k === 'displayName' || k === 'file') setErrors((x) => ({ ...x, [k]: undefined }));
  };
  const close = () => {
    setDraft(EMPTY);
    setErrors({});
    setError(undefined);
    onClose();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = check(d);
    setErrors(found);
    if (Object.keys(found).length > 0 || !d.file) return;
    setBusy(true);
    setError(undefined);
    try {
      const script = await graph<Script>('POST', '/beta/deviceManagement/deviceManagementScripts', {
        '@odata.type': '#microsoft.graph.deviceManagementScript',
        displayName: d.displayName.trim(),
        description: d.description.trim(),
        scriptContent: await fileAsBase64(d.file),
        runAsAccount: d.loggedOnCredentials ? 'user' : 'system',
        runAs32Bit: !d.run64Bit,
        enforceSignatureCheck: d.enforceSignatureCheck,
        fileName: d.file.name,
        roleScopeTagIds: ['0'],
      });
      setDraft(EMPTY);
      onCreated(script);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onOpenChange={(_e, v) => !v.open && close()} modalType="modal">
      <DialogSurface style={{ maxWidth: '640px' }}>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <DialogBody>
            <DialogTitle>Add Windows PowerShell script</DialogTitle>
            <DialogContent className={styles.form}>
              <ErrorBar error={error} title="Could not add the script" />
              <Field label="Name" required validationMessage={errors.displayName}>
                <Input value={d.displayName} onChange={(_e, v) => set('displayName', v.value)} />
              </Field>
              <Field label="Description">
                <Textarea value={d.description} onChange={(_e, v) => set('description', v.value)} resize="vertical" />
              </Field>
              <Field label="Script location" required validationMessage={errors.file} hint="A .ps1 file of less than 200 KB.">
                <div className={styles.toolbar}>
                  <input
                    ref={input}
                    type="file"
                    accept=".ps1"
                    aria-label="Script file"
                    style={{ display: 'none' }}
                    onChange={(e) => {
                      set('file', e.target.files?.[0] ?? null);
                      e.target.value = '';
                    }}
                  />
                  <Button type="button" onClick={() => input.current?.click()}>
                    Select a file
                  </Button>
                  <Text className={d.file ? undefined : styles.muted}>{d.file ? `${d.file.name} (${d.file.size} bytes)` : 'No file selected'}</Text>
                </div>
              </Field>
              <YesNo
                label="Run this script using the logged on credentials"
                value={d.loggedOnCredentials}
                onChange={(v) => set('loggedOnCredentials', v)}
                hint="No runs it as System, which device preparation requires."
              />
              <YesNo label="Enforce script signature check" value={d.enforceSignatureCheck} onChange={(v) => set('enforceSignatureCheck', v)} />
              <YesNo label="Run script in 64 bit PowerShell Host" value={d.run64Bit} onChange={(v) => set('run64Bit', v)} />
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit" disabled={busy}>
                {busy ? 'Adding…' : 'Add'}
              </Button>
              <Button type="button" onClick={close} disabled={busy}>
                Cancel
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
