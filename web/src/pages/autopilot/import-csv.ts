// The portal's Windows Autopilot import file, read in the browser before anything is sent: the header
// `Device Serial Number,Windows Product ID,Hardware Hash,Group Tag,Assigned User` (exact and case-sensitive;
// the script's shorter forms without Assigned User, or without both optional columns, are taken too), no
// quotation marks, no extra columns, up to 500 devices. UTF-16 (Windows PowerShell's Out-File) and a UTF-8
// byte order mark are read as the service reads them.
// What only the service can judge is left to it and comes back per device from the import: an empty serial
// number or hash (InvalidZtdHardwareHash), a device twice in the file (ZtdDeviceDuplicated), a device
// already registered (ZtdDeviceAlreadyAssigned). A hash that is not base64 would fail the whole request,
// so it is reported here, against its line.
// Pure, no imports: tested in Node.

export const MAX_IMPORT_ROWS = 500;

export const IMPORT_HEADER = ['Device Serial Number', 'Windows Product ID', 'Hardware Hash', 'Group Tag', 'Assigned User'] as const;
const HEADERS = [IMPORT_HEADER.slice(0, 3), IMPORT_HEADER.slice(0, 4), IMPORT_HEADER.slice(0, 5)];
const FULL_HEADER = IMPORT_HEADER.join(',');
const UPN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export interface ImportRow {
  /** Line in the file (1 is the header). */
  readonly line: number;
  readonly serialNumber: string;
  readonly productKey: string;
  readonly hardwareHash: string;
  readonly groupTag: string;
  readonly assignedUser: string;
}

export interface FileProblem {
  /** null: the whole file. */
  readonly line: number | null;
  readonly message: string;
}

export interface ImportFile {
  readonly rows: readonly ImportRow[];
  /** The file cannot be imported while there is one. */
  readonly problems: readonly FileProblem[];
  /** Things worth knowing that do not stop the import (the encoding). */
  readonly notes: readonly string[];
}

/** The file's text: UTF-8 (with or without a byte order mark), UTF-16 with a byte order mark, else Windows-1252. */
export function decodeImportBytes(bytes: Uint8Array): { text: string; note?: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: decode('utf-8', bytes.subarray(3)) };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), note: utf16Note };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), note: utf16Note };
  return { text: decode('utf-8', bytes) };
}

const utf16Note = "The file is UTF-16 (Windows PowerShell's Out-File default). It is read as it is; the Intune portal asks for ANSI.";

function decode(encoding: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

function headerProblem(fields: readonly string[]): string | undefined {
  const given = fields.map((f) => f.trim());
  if (HEADERS.some((h) => h.length === given.length && h.every((name, i) => name === given[i]))) return undefined;
  if (given.includes('Manufacturer name') || given.includes('Device model')) {
    return `This is a Partner Center file (Get-WindowsAutopilotInfo -Partner). Intune imports need the header '${FULL_HEADER}'.`;
  }
  const sameIgnoringCase = HEADERS.find((h) => h.length === given.length && h.every((name, i) => name.toLowerCase() === given[i]!.toLowerCase()));
  if (sameIgnoringCase) return `The header is case-sensitive: write '${sameIgnoringCase.join(',')}'.`;
  return `The first line must be the header '${FULL_HEADER}' (Group Tag and Assigned User may be left out), not '${fields.join(',')}'.`;
}

/** Reads the text of an import file into rows to send, or the problems that keep it from being sent. */
export function parseImportFile(text: string): ImportFile {
  const lines: { line: number; fields: string[] }[] = [];
  text.split(/\r\n|\n|\r/).forEach((raw, i) => {
    if (raw.trim() !== '') lines.push({ line: i + 1, fields: raw.split(',') });
  });
  const [header, ...body] = lines;
  if (!header) return { rows: [], problems: [{ line: null, message: 'The file is empty.' }], notes: [] };
  const wrong = headerProblem(header.fields);
  if (wrong) return { rows: [], problems: [{ line: header.line, message: wrong }], notes: [] };
  const problems: FileProblem[] = [];
  if (body.length === 0) problems.push({ line: null, message: 'The file has a header but no devices.' });
  if (body.length > MAX_IMPORT_ROWS) problems.push({ line: null, message: `The file has ${body.length} devices; import at most ${MAX_IMPORT_ROWS} at a time: split it.` });
  const columns = header.fields.length;
  const rows: ImportRow[] = [];
  for (const { line, fields } of body) {
    const fail = (message: string) => problems.push({ line, message });
    if (fields.length !== columns) {
      fail(`The line has ${fields.length} values and the header ${columns}${fields.length > columns ? ' (a comma inside a value?)' : ''}.`);
      continue;
    }
    const values = fields.map((f) => f.trim());
    const quoted = values.findIndex((v) => v.includes('"'));
    if (quoted !== -1) {
      fail(`${IMPORT_HEADER[quoted]} contains a quotation mark: save the file without quotes (not from Excel).`);
      continue;
    }
    // eslint-disable-next-line no-control-regex
    const control = values.findIndex((v) => /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v));
    if (control !== -1) {
      fail(`${IMPORT_HEADER[control]} contains a control character.`);
      continue;
    }
    const [serialNumber = '', productKey = '', hardwareHash = '', groupTag = '', assignedUser = ''] = values;
    if (hardwareHash !== '' && !(hardwareHash.length % 4 === 0 && BASE64.test(hardwareHash))) {
      fail(`Hardware Hash is not base64 ("Cannot convert the literal to the expected type 'Edm.Binary'").`);
      continue;
    }
    if (assignedUser !== '' && !UPN.test(assignedUser)) {
      fail(`Assigned User '${assignedUser}' is not a user principal name (name@domain).`);
      continue;
    }
    rows.push({ line, serialNumber, productKey, hardwareHash, groupTag, assignedUser });
  }
  return { rows: problems.length === 0 ? rows : [], problems, notes: [] };
}

/** Decodes and reads the bytes of a chosen file. */
export function readImportFile(bytes: Uint8Array): ImportFile {
  const { text, note } = decodeImportBytes(bytes);
  const file = parseImportFile(text);
  return note ? { ...file, notes: [...file.notes, note] } : file;
}

/** The body of one device of the import action. */
export function importIdentity(row: ImportRow): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.importedWindowsAutopilotDeviceIdentity',
    serialNumber: row.serialNumber,
    productKey: row.productKey,
    hardwareIdentifier: row.hardwareHash,
    groupTag: row.groupTag,
    assignedUserPrincipalName: row.assignedUser,
  };
}

/** What each import error of Intune means and what to do (behaviour of the portal's import). */
export const IMPORT_ERRORS: Readonly<Record<string, string>> = {
  ZtdDeviceAlreadyAssigned: 'The device is already registered in this tenant.',
  ZtdDeviceAssignedToAnotherTenant: 'The hardware hash is already registered in another tenant: deregister it there first.',
  ZtdDeviceAssignedToOtherTenant: 'The hardware hash is already registered in another tenant: deregister it there first.',
  ZtdDeviceDuplicated: 'The device is in the file more than once; only its first row was processed.',
  InvalidZtdHardwareHash: 'The hardware hash or serial number is empty or invalid, or the hash names another device.',
  StorageError: 'Intune could not store the device. Import the file again.',
};

export function importErrorText(name: string): string {
  return IMPORT_ERRORS[name] ?? 'The device could not be imported.';
}
