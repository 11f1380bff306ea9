// "Import" of the Windows Autopilot devices screen: the portal's CSV, checked in the browser, sent in one
// call to importedWindowsAutopilotDeviceIdentities/import, then followed: each upload record is read again
// until it is complete or in error (Intune takes minutes; Tarmac answers at once), with a progress bar and
// each row's outcome named as Intune names it. The upload records are deleted once every row has finished,
// as the WindowsAutopilotIntune module does.
import { useEffect, useRef, useState } from 'react';
import {
  Badge,
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { asApiError, graph, graphAll, type ApiError } from '../../api';
import { ErrorBar } from '../../components/error-bar';
import { IMPORT_HEADER, MAX_IMPORT_ROWS, importErrorText, importIdentity, readImportFile, type ImportFile, type ImportRow } from './import-csv';
import { FormDrawer, useUiStyles } from './ui';

const IMPORTS = '/beta/deviceManagement/importedWindowsAutopilotDeviceIdentities';
const POLL_MS = 2000;

interface ImportState {
  readonly deviceImportStatus: 'unknown' | 'pending' | 'partial' | 'complete' | 'error' | string;
  readonly deviceRegistrationId?: string;
  readonly deviceErrorCode?: number;
  readonly deviceErrorName?: string;
}

interface ImportRecord {
  readonly id: string;
  readonly importId?: string;
  readonly serialNumber: string;
  readonly state: ImportState;
}

const finished = (s: ImportState) => s.deviceImportStatus === 'complete' || s.deviceImportStatus === 'error';

/** A row's outcome in one word: Imported, the error's name, or the status while it runs. */
function resultOf(record: ImportRecord | undefined): string {
  if (!record) return 'waiting';
  const s = record.state;
  return s.deviceImportStatus === 'complete' ? 'Imported' : s.deviceImportStatus === 'error' ? s.deviceErrorName || 'error' : s.deviceImportStatus;
}

function Outcome({ record }: { record: ImportRecord | undefined }) {
  if (!record) return <Text>Waiting</Text>;
  const s = record.state;
  if (s.deviceImportStatus === 'complete') return <Badge color="success" appearance="tint">Imported</Badge>;
  if (s.deviceImportStatus === 'error') {
    return (
      <span style={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
        <span>
          <Badge color="danger" appearance="tint">
            {s.deviceErrorName || 'Error'}
          </Badge>{' '}
          {s.deviceErrorCode ? <Text size={200}>({s.deviceErrorCode})</Text> : null}
        </span>
        <Text size={200}>{importErrorText(s.deviceErrorName ?? '')}</Text>
      </span>
    );
  }
  return <Badge appearance="tint">{s.deviceImportStatus === 'partial' ? 'Partly imported' : 'Importing'}</Badge>;
}

export function ImportPanel({ open, onClose, onImported }: { open: boolean; onClose: () => void; onImported: () => void }) {
  const ui = useUiStyles();
  const [file, setFile] = useState<ImportFile>();
  const [records, setRecords] = useState<ImportRecord[]>();
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<ApiError>();
  const input = useRef<HTMLInputElement>(null);
  const rows = file?.rows ?? [];

  useEffect(() => {
    if (!open) return;
    setFile(undefined);
    setRecords(undefined);
    setError(undefined);
    if (input.current) input.current.value = '';
  }, [open]);

  // Follow the records until each is complete or in error, then remove them.
  const pending = records?.filter((r) => !finished(r.state)).length ?? 0;
  useEffect(() => {
    if (!records || records.length === 0) return;
    const importId = records[0]!.importId;
    if (pending === 0) {
      onImported();
      void Promise.allSettled(records.map((r) => graph('DELETE', `${IMPORTS}/${r.id}`)));
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const filter = importId ? `?$filter=${encodeURIComponent(`importId eq '${importId}'`)}` : '';
        const fresh = await graphAll<ImportRecord>(`${IMPORTS}${filter}`, { signal: controller.signal });
        const byId = new Map(fresh.map((r) => [r.id, r]));
        setRecords((current) => current?.map((r) => byId.get(r.id) ?? r));
      } catch (err) {
        if (!controller.signal.aborted) setError(asApiError(err));
      }
    }, POLL_MS);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [records, pending]);

  const choose = async (f: File | undefined) => {
    setRecords(undefined);
    setError(undefined);
    if (!f) {
      setFile(undefined);
      return;
    }
    setFile(readImportFile(new Uint8Array(await f.arrayBuffer())));
  };

  const send = async () => {
    setSending(true);
    setError(undefined);
    try {
      const result = await graph<{ value: ImportRecord[] }>('POST', `${IMPORTS}/import`, { importedWindowsAutopilotDeviceIdentities: rows.map(importIdentity) });
      setRecords(result.value);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setSending(false);
    }
  };

  const done = records ? records.length - pending : 0;
  const imported = records?.filter((r) => r.state.deviceImportStatus === 'complete').length ?? 0;
  const failed = records?.filter((r) => r.state.deviceImportStatus === 'error').length ?? 0;
  const canImport = rows.length > 0 && !sending && !records;

  return (
    <FormDrawer
      open={open}
      title="Add Windows Autopilot devices"
      size="large"
      onClose={onClose}
      footer={
        <Button appearance="primary" disabled={!canImport} onClick={send}>
          Import
        </Button>
      }
    >
      <Text>
        Choose the CSV file that lists the devices (at most {MAX_IMPORT_ROWS}). Its first line must be <span className={ui.mono}>{IMPORT_HEADER.join(',')}</span>; Group Tag and
        Assigned User may be empty.
      </Text>
      <Field label="File with the devices" hint="A .csv file written by Get-WindowsAutopilotInfo or by hand, ANSI or UTF-8.">
        <input ref={input} type="file" accept=".csv,text/csv" aria-label="File with the devices" onChange={(e) => void choose(e.target.files?.[0])} />
      </Field>
      {file?.notes.map((n) => (
        <MessageBar key={n} intent="info">
          <MessageBarBody>{n}</MessageBarBody>
        </MessageBar>
      ))}
      {file && file.problems.length > 0 && (
        <MessageBar intent="error" layout="multiline" role="alert">
          <MessageBarBody>
            <MessageBarTitle>The file cannot be imported</MessageBarTitle>
            <ul style={{ margin: '4px 0 0', paddingLeft: 20 }} aria-label="Problems in the file">
              {file.problems.map((p, i) => (
                <li key={i}>{p.line === null ? p.message : `Line ${p.line}: ${p.message}`}</li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      )}
      <ErrorBar error={error} title="The import was refused" />
      {records && (
        <Field label="Import progress" validationState="none" validationMessage={`${done} of ${records.length} devices processed`}>
          <ProgressBar value={records.length === 0 ? 1 : done / records.length} thickness="large" color={pending === 0 && failed > 0 ? 'warning' : pending === 0 ? 'success' : 'brand'} />
        </Field>
      )}
      {records && pending === 0 && (
        <MessageBar intent={failed === 0 ? 'success' : 'warning'} role="status">
          <MessageBarBody>
            <MessageBarTitle>Import finished</MessageBarTitle>
            {imported} {imported === 1 ? 'device' : 'devices'} imported, {failed} with errors. Imported devices show in the list; their profile status follows the groups they join.
          </MessageBarBody>
        </MessageBar>
      )}
      {rows.length > 0 && (
        <>
          <Text weight="semibold">
            {rows.length} {rows.length === 1 ? 'device' : 'devices'} in the file
          </Text>
          <Table aria-label="Devices in the file" size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell style={{ width: 56 }}>Line</TableHeaderCell>
                <TableHeaderCell style={{ width: '16%' }}>Serial number</TableHeaderCell>
                <TableHeaderCell style={{ width: '12%' }}>Group tag</TableHeaderCell>
                <TableHeaderCell style={{ width: '26%' }}>Assigned user</TableHeaderCell>
                <TableHeaderCell>Result</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((row: ImportRow, i) => (
                <TableRow key={row.line} data-line={row.line}>
                  <TableCell>{row.line}</TableCell>
                  <TableCell>{row.serialNumber || <Text className={ui.muted}>(empty)</Text>}</TableCell>
                  <TableCell>{row.groupTag}</TableCell>
                  <TableCell>{row.assignedUser}</TableCell>
                  <TableCell data-result={resultOf(records?.[i])}>{records ? <Outcome record={records[i]} /> : <Text className={ui.muted}>Not imported yet</Text>}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
    </FormDrawer>
  );
}
