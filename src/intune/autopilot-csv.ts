// The hardware hash CSV that Get-WindowsAutopilotInfo writes and the Intune portal imports, read and checked
// row by row before anything is uploaded, so that a file with a broken row is reported whole and nothing of
// it is imported. Sources: behaviour.md §5.1 (header "Device Serial Number,Windows Product ID,Hardware Hash,
// Group Tag,Assigned User", exact and case-sensitive; serial number and hash required; no extra columns, no
// quotation marks; up to 500 rows per file) and graph-api.md §6.3 (the column sets the script writes,
// quotes stripped, UTF-16 from Windows PowerShell's Out-File).
import { readCsvText, encodingNote, fieldProblem, type CsvEncoding, type CsvProblem } from './csv-text.js';
import { isBase64 } from './hardware-hash.js';

export const AUTOPILOT_CSV_MAX_ROWS = 500;
/** A file this large cannot be 500 rows of 4 KB hashes: refuse it before reading. */
export const AUTOPILOT_CSV_MAX_BYTES = 16 * 1024 * 1024;

const SERIAL = 'Device Serial Number';
const PRODUCT_ID = 'Windows Product ID';
const HASH = 'Hardware Hash';
const GROUP_TAG = 'Group Tag';
const ASSIGNED_USER = 'Assigned User';
/** The header forms the portal accepts (with -GroupTag, with -AssignedUser). */
const HEADERS = [[SERIAL, PRODUCT_ID, HASH], [SERIAL, PRODUCT_ID, HASH, GROUP_TAG], [SERIAL, PRODUCT_ID, HASH, GROUP_TAG, ASSIGNED_USER]];
const FULL_HEADER = HEADERS[2]!.join(',');
const UPN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface AutopilotCsvRow {
  readonly line: number;
  readonly serialNumber: string;
  readonly productKey: string;
  readonly hardwareHash: string;
  readonly groupTag: string;
  readonly assignedUser: string;
}

export interface AutopilotCsv {
  readonly encoding: CsvEncoding;
  /** The rows without a problem. */
  readonly rows: readonly AutopilotCsvRow[];
  /** Every problem found; the file must not be imported while there is one. */
  readonly problems: readonly CsvProblem[];
  readonly notes: readonly string[];
}

function headerProblem(header: readonly string[]): string | undefined {
  const given = header.map((h) => h.trim());
  if (HEADERS.some((h) => h.length === given.length && h.every((name, i) => name === given[i]))) return undefined;
  if (given.includes('Manufacturer name') || given.includes('Device model')) {
    return `this is a Partner Center file (Get-WindowsAutopilotInfo -Partner); Intune imports need the header '${FULL_HEADER}' (Group Tag and Assigned User optional)`;
  }
  const sameIgnoringCase = HEADERS.find((h) => h.length === given.length && h.every((name, i) => name.toLowerCase() === given[i]!.toLowerCase()));
  if (sameIgnoringCase) return `the header is case-sensitive: write '${sameIgnoringCase.join(',')}'`;
  return `the first line must be the header '${FULL_HEADER}' (Group Tag and Assigned User optional, no other columns), not '${header.join(',')}'`;
}

/** Reads and checks a whole file. */
export function parseAutopilotCsv(bytes: Uint8Array): AutopilotCsv {
  const problems: CsvProblem[] = [];
  if (bytes.length > AUTOPILOT_CSV_MAX_BYTES) {
    return { encoding: 'utf-8', rows: [], problems: [{ line: null, message: `the file is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; a file of ${AUTOPILOT_CSV_MAX_ROWS} devices is far smaller` }], notes: [] };
  }
  const { encoding, lines } = readCsvText(bytes);
  const note = encodingNote(encoding);
  const notes = note ? [note] : [];
  const [header, ...body] = lines;
  if (!header) return { encoding, rows: [], problems: [{ line: null, message: 'the file is empty' }], notes };
  const wrongHeader = headerProblem(header.fields);
  if (wrongHeader) return { encoding, rows: [], problems: [{ line: header.line, message: wrongHeader }], notes };
  if (body.length === 0) problems.push({ line: null, message: 'the file has a header but no devices' });
  if (body.length > AUTOPILOT_CSV_MAX_ROWS) {
    problems.push({ line: null, message: `the file has ${body.length} devices; the portal imports at most ${AUTOPILOT_CSV_MAX_ROWS} per file: split it` });
  }
  const columns = header.fields.length;
  const rows: AutopilotCsvRow[] = [];
  const serials = new Map<string, number>();
  const hashes = new Map<string, number>();
  for (const { line, fields } of body) {
    const before = problems.length;
    const fail = (message: string) => problems.push({ line, message });
    if (fields.length !== columns) {
      fail(`has ${fields.length} fields, the header has ${columns}${fields.length > columns ? ' (a comma inside a value?)' : ''}`);
      continue;
    }
    const [serialNumber = '', productKey = '', hardwareHash = '', groupTag = '', assignedUser = ''] = fields.map((f) => f.trim());
    const named: [string, string][] = [[SERIAL, serialNumber], [PRODUCT_ID, productKey], [HASH, hardwareHash], [GROUP_TAG, groupTag], [ASSIGNED_USER, assignedUser]];
    const bad = named.map(([name, value]) => fieldProblem(name, value)).find((p) => p !== undefined);
    if (bad) {
      fail(bad);
      continue;
    }
    if (serialNumber === '') fail(`${SERIAL} is empty`);
    if (hardwareHash === '') fail(`${HASH} is empty (InvalidZtdHardwareHash)`);
    else if (!isBase64(hardwareHash)) fail(`${HASH} is not base64 (Graph answers "Cannot convert the literal to the expected type 'Edm.Binary'")`);
    if (assignedUser !== '' && !UPN.test(assignedUser)) fail(`${ASSIGNED_USER} '${assignedUser}' is not a user principal name (name@domain)`);
    let duplicate = false;
    if (serialNumber !== '') {
      const first = serials.get(serialNumber.toUpperCase());
      duplicate = first !== undefined;
      if (duplicate) fail(`device ${serialNumber} is already on line ${first} (ZtdDeviceDuplicated)`);
      else serials.set(serialNumber.toUpperCase(), line);
    }
    if (hardwareHash !== '' && !duplicate) {
      const first = hashes.get(hardwareHash);
      if (first !== undefined) fail(`the hardware hash is the same as on line ${first} (ZtdDeviceDuplicated)`);
      else hashes.set(hardwareHash, line);
    }
    if (problems.length === before) rows.push({ line, serialNumber, productKey, hardwareHash, groupTag, assignedUser });
  }
  return { encoding, rows, problems, notes };
}
