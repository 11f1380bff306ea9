// "Add" corporate identifiers: upload a CSV (manufacturer,model,serial number per line, no header). Before
// the upload every row is checked, and the ones Intune already has are looked up (searchExistingIdentities);
// after it, each row shows what importDeviceIdentityList answered for it (status true or false) and why.
import { useRef, useState } from 'react';
import {
  Badge,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Dropdown,
  Field,
  Option,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { asApiError, graph, type ApiError, type GraphList } from '../../api';
import { ErrorBar } from '../../components/error-bar';
import { useFormStyles } from './common';
import { parseCorporateCsv, type CsvRow } from './corporate-csv';

const IDENTITIES = '/beta/deviceManagement/importedDeviceIdentities';
const TYPE = 'manufacturerModelSerial';
const UPLOAD_TYPE = 'Manufacturer, model, and serial number (Windows only)';

interface ImportResult {
  readonly importedDeviceIdentifier: string;
  readonly status: boolean;
}

/** A row's state: checked before the upload, answered after it. */
interface RowState {
  readonly row: CsvRow;
  readonly exists: boolean;
  /** importDeviceIdentityList's status for the row; undefined before the upload or when it was not sent. */
  readonly status?: boolean;
}

const identity = (identifier: string) => ({ '@odata.type': '#microsoft.graph.importedDeviceIdentity', importedDeviceIdentifier: identifier, importedDeviceIdentityType: TYPE, platform: 'windows' });

function verdict(s: RowState, overwrite: boolean, uploaded: boolean): { ok: boolean; text: string } {
  if (s.row.problem) return { ok: false, text: uploaded ? `Not uploaded: ${s.row.problem}` : s.row.problem };
  if (!uploaded) {
    if (s.exists) return overwrite ? { ok: true, text: 'Already exists: its details will be replaced.' } : { ok: false, text: 'Already exists: it will be skipped (turn on overwrite to replace it).' };
    return { ok: true, text: 'Ready to import.' };
  }
  if (s.status) return { ok: true, text: s.exists ? 'Imported: the existing identifier was replaced.' : 'Imported.' };
  return { ok: false, text: s.exists ? 'Not imported: the identifier already exists.' : 'Not imported: Intune refused the identifier.' };
}

export interface ImportIdentifiersDialogProps {
  readonly open: boolean;
  readonly onClose: (imported: boolean) => void;
}

export function ImportIdentifiersDialog({ open, onClose }: ImportIdentifiersDialogProps) {
  const f = useFormStyles();
  const input = useRef<HTMLInputElement>(null);
  const [fileName, setFileName] = useState<string>();
  const [fileProblem, setFileProblem] = useState<string>();
  const [rows, setRows] = useState<readonly RowState[]>([]);
  const [overwrite, setOverwrite] = useState(false);
  const [uploaded, setUploaded] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();

  const reset = () => {
    setFileName(undefined);
    setFileProblem(undefined);
    setRows([]);
    setOverwrite(false);
    setUploaded(false);
    setError(undefined);
  };
  const close = () => {
    const imported = uploaded;
    reset();
    onClose(imported);
  };

  const read = async (file: File) => {
    reset();
    setFileName(file.name);
    setBusy(true);
    try {
      const parsed = parseCorporateCsv(new Uint8Array(await file.arrayBuffer()));
      setFileProblem(parsed.fileProblem);
      const valid = parsed.rows.filter((r) => !r.problem);
      const existing = new Set<string>();
      if (valid.length > 0) {
        const found = await graph<GraphList<{ importedDeviceIdentifier: string }>>('POST', `${IDENTITIES}/searchExistingIdentities`, {
          importedDeviceIdentities: valid.map((r) => ({ importedDeviceIdentityType: TYPE, importedDeviceIdentifier: r.identifier })),
        });
        for (const x of found.value) existing.add(key(x.importedDeviceIdentifier));
      }
      setRows(parsed.rows.map((row) => ({ row, exists: !row.problem && existing.has(key(row.identifier)) })));
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const upload = async () => {
    const sending = rows.filter((s) => !s.row.problem);
    setBusy(true);
    setError(undefined);
    try {
      const answer = await graph<GraphList<ImportResult>>('POST', `${IDENTITIES}/importDeviceIdentityList`, {
        importedDeviceIdentities: sending.map((s) => identity(s.row.identifier)),
        overwriteImportedDeviceIdentities: overwrite,
      });
      // One result per identifier sent, in the same order.
      const byRow = new Map(sending.map((s, i) => [s.row.line, answer.value[i]?.status === true]));
      setRows(rows.map((s) => (byRow.has(s.row.line) ? { ...s, status: byRow.get(s.row.line) } : s)));
      setUploaded(true);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const sendable = rows.filter((s) => !s.row.problem).length;
  const ready = rows.filter((s) => verdict(s, overwrite, false).ok).length;
  const imported = rows.filter((s) => s.status === true).length;
  return (
    <Dialog open={open} onOpenChange={(_e, v) => !v.open && close()} modalType="modal">
      <DialogSurface style={{ maxWidth: '1040px', width: 'calc(100vw - 96px)' }}>
        <DialogBody>
          <DialogTitle>Add corporate identifiers</DialogTitle>
          <DialogContent className={f.section}>
            <ErrorBar error={error} title={uploaded ? 'Could not import the identifiers' : 'Could not check the identifiers'} />
            <Field label="Select identifier type">
              <Dropdown value={UPLOAD_TYPE} selectedOptions={[TYPE]} disabled={uploaded}>
                <Option value={TYPE}>{UPLOAD_TYPE}</Option>
              </Dropdown>
            </Field>
            <Text className={f.muted}>
              A CSV file without a header, one device per line: manufacturer,model,serial number (for example Microsoft,Surface Laptop 6,0F0123456789). Up to 5,000
              lines or 5 MB; remove periods from serial numbers.
            </Text>
            <div className={f.toolbar}>
              <input
                ref={input}
                type="file"
                accept=".csv,text/csv"
                aria-label="Identifier file"
                style={{ display: 'none' }}
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  e.target.value = '';
                  if (file) void read(file);
                }}
              />
              <Button onClick={() => input.current?.click()} disabled={busy || uploaded}>
                Select a file
              </Button>
              <Text className={fileName ? undefined : f.muted}>{fileName ?? 'No file selected'}</Text>
            </div>
            {fileProblem && (
              <Text role="alert" style={{ color: tokens.colorPaletteRedForeground1 }}>
                {fileProblem}
              </Text>
            )}
            {rows.length > 0 && (
              <>
                <Text weight="semibold" aria-live="polite">
                  {uploaded ? `${imported} of ${rows.length} rows imported.` : `${ready} of ${rows.length} rows will be imported.`}
                </Text>
                <div style={{ maxHeight: '420px', overflow: 'auto' }}>
                  <Table aria-label="Identifier rows" size="small" style={{ tableLayout: 'auto' }}>
                    <TableHeader>
                      <TableRow>
                        <TableHeaderCell style={{ width: '56px' }}>Line</TableHeaderCell>
                        <TableHeaderCell>Manufacturer</TableHeaderCell>
                        <TableHeaderCell>Model</TableHeaderCell>
                        <TableHeaderCell>Serial number</TableHeaderCell>
                        <TableHeaderCell style={{ width: '90px' }}>Status</TableHeaderCell>
                        <TableHeaderCell>Details</TableHeaderCell>
                      </TableRow>
                    </TableHeader>
                    <TableBody>
                      {rows.map((s) => {
                        const v = verdict(s, overwrite, uploaded);
                        const status = uploaded ? (s.status === undefined ? 'not sent' : String(s.status)) : v.ok ? 'ready' : 'skipped';
                        return (
                          <TableRow key={s.row.line} data-line={s.row.line} data-status={status}>
                            <TableCell>{s.row.line}</TableCell>
                            {!s.row.split ? (
                              <TableCell colSpan={3}>{s.row.text}</TableCell>
                            ) : (
                              <>
                                <TableCell>{s.row.manufacturer}</TableCell>
                                <TableCell>{s.row.model}</TableCell>
                                <TableCell>{s.row.serialNumber}</TableCell>
                              </>
                            )}
                            <TableCell>
                              {uploaded && s.status !== undefined ? (
                                <Badge appearance="tint" color={s.status ? 'success' : 'danger'}>
                                  {String(s.status)}
                                </Badge>
                              ) : (
                                <Badge appearance="tint" color={v.ok ? 'informative' : 'warning'}>
                                  {v.ok ? 'Ready' : 'Skipped'}
                                </Badge>
                              )}
                            </TableCell>
                            <TableCell>{v.text}</TableCell>
                          </TableRow>
                        );
                      })}
                    </TableBody>
                  </Table>
                </div>
                {!uploaded && rows.some((s) => s.exists) && (
                  <Checkbox label="Overwrite the details of identifiers that already exist" checked={overwrite} onChange={(_e, v) => setOverwrite(v.checked === true)} />
                )}
              </>
            )}
          </DialogContent>
          <DialogActions>
            {uploaded ? (
              <Button appearance="primary" onClick={close}>
                Done
              </Button>
            ) : (
              <>
                <Button appearance="primary" disabled={busy || sendable === 0 || !!fileProblem} onClick={() => void upload()}>
                  {busy ? 'Working…' : 'Import'}
                </Button>
                <Button onClick={close} disabled={busy}>
                  Cancel
                </Button>
              </>
            )}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

/** Identifiers compare with case and surrounding spaces ignored, as Intune compares them. */
function key(identifier: string): string {
  return identifier
    .split(',')
    .map((p) => p.trim())
    .join(',')
    .toLowerCase();
}
