// The corporate identifier CSV for Windows that the Intune portal uploads, read and checked row by row
// before anything is uploaded. Sources: memdocs corporate-identifiers-add.md and behaviour.md §3.4: one
// "manufacturer,model,serial number" per line, no header, up to 5,000 rows or 5 MB per file (whichever comes
// first), periods removed from serial numbers. Tarmac refuses a serial number with a period rather than
// strip it, so the file stays the record of what was uploaded; duplicates in the file are reported.
import { readCsvText, encodingNote, fieldProblem, type CsvEncoding, type CsvProblem } from './csv-text.js';

export const CORPORATE_CSV_MAX_ROWS = 5000;
export const CORPORATE_CSV_MAX_BYTES = 5 * 1024 * 1024;
const MAX_FIELD = 128;

export interface CorporateIdentifierRow {
  readonly line: number;
  readonly manufacturer: string;
  readonly model: string;
  readonly serialNumber: string;
  /** "Manufacturer,Model,SerialNumber", as Graph takes it. */
  readonly identifier: string;
}

export interface CorporateIdentifierCsv {
  readonly encoding: CsvEncoding;
  readonly rows: readonly CorporateIdentifierRow[];
  readonly problems: readonly CsvProblem[];
  readonly notes: readonly string[];
}

const HEADER_WORDS = /^(manufacturer|make|model|serial( ?number)?|serialnumber)$/i;

export function parseCorporateIdentifierCsv(bytes: Uint8Array): CorporateIdentifierCsv {
  if (bytes.length > CORPORATE_CSV_MAX_BYTES) {
    return { encoding: 'utf-8', rows: [], problems: [{ line: null, message: `the file is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; Intune takes at most 5 MB per file: split it` }], notes: [] };
  }
  const { encoding, lines } = readCsvText(bytes);
  const note = encodingNote(encoding);
  const notes = note ? [note] : [];
  const problems: CsvProblem[] = [];
  if (lines.length === 0) problems.push({ line: null, message: 'the file is empty' });
  if (lines.length > CORPORATE_CSV_MAX_ROWS) {
    problems.push({ line: null, message: `the file has ${lines.length} rows; Intune takes at most ${CORPORATE_CSV_MAX_ROWS} per file: split it` });
  }
  const rows: CorporateIdentifierRow[] = [];
  const seen = new Map<string, number>();
  for (const { line, fields } of lines) {
    const fail = (message: string) => problems.push({ line, message });
    const values = fields.map((f) => f.trim());
    if (line === lines[0]!.line && values.length === 3 && values.every((v) => HEADER_WORDS.test(v))) {
      fail("looks like a header: the file must not have one (each line is 'manufacturer,model,serial number')");
      continue;
    }
    if (values.length !== 3) {
      fail(`has ${values.length} field${values.length === 1 ? '' : 's'}; each line is 'manufacturer,model,serial number'${values.length > 3 ? ' (no details column for Windows, no commas inside a value)' : ''}`);
      continue;
    }
    const [manufacturer, model, serialNumber] = values as [string, string, string];
    const named: [string, string][] = [['the manufacturer', manufacturer], ['the model', model], ['the serial number', serialNumber]];
    const bad = named.map(([name, value]) => fieldProblem(name, value) ?? (value === '' ? `${name} is empty` : value.length > MAX_FIELD ? `${name} is longer than ${MAX_FIELD} characters` : undefined)).find((p) => p);
    if (bad) {
      fail(bad);
      continue;
    }
    if (serialNumber.includes('.')) {
      fail(`the serial number '${serialNumber}' has a period: remove the periods (write '${serialNumber.replace(/\./g, '')}'), as Intune asks`);
      continue;
    }
    const identifier = `${manufacturer},${model},${serialNumber}`;
    const key = identifier.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      fail(`repeats line ${first} (${identifier})`);
      continue;
    }
    seen.set(key, line);
    rows.push({ line, manufacturer, model, serialNumber, identifier });
  }
  return { encoding, rows, problems, notes };
}
