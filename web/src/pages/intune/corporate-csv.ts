// The corporate identifier CSV for Windows, read and checked row by row before anything is uploaded, with the
// portal's rules: one "manufacturer,model,serial number" per line, no header, up to 5,000 rows or 5 MB per
// file, periods removed from serial numbers, each identifier once, no quoting. UTF-8 or UTF-16 (PowerShell 5.1's
// Out-File). The same rules as the server's reader of this file.
// Source: memdocs corporate-identifiers-add.md; behaviour.md §3.4.

export const MAX_ROWS = 5000;
export const MAX_BYTES = 5 * 1024 * 1024;
const MAX_FIELD = 128;
const HEADER_WORDS = /^(manufacturer|make|model|serial( ?number)?|serialnumber)$/i;

export interface CsvRow {
  /** 1-based line of the file. */
  readonly line: number;
  /** The line as written, for rows that cannot be split. */
  readonly text: string;
  /** The line has the three values (possibly with a problem in one of them). */
  readonly split: boolean;
  readonly manufacturer: string;
  readonly model: string;
  readonly serialNumber: string;
  /** "Manufacturer,Model,SerialNumber", as Graph takes it; empty when the row has a problem. */
  readonly identifier: string;
  /** Why the row is not uploaded. */
  readonly problem?: string;
}

export interface CsvFile {
  readonly rows: readonly CsvRow[];
  /** A problem with the whole file (too big, empty): nothing is uploaded. */
  readonly fileProblem?: string;
}

/** Decodes the file: a UTF-16 byte order mark means UTF-16, anything else is read as UTF-8. */
export function decode(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
}

export function parseCorporateCsv(bytes: Uint8Array): CsvFile {
  if (bytes.length > MAX_BYTES) return { rows: [], fileProblem: `The file is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; a file holds at most 5 MB: split it.` };
  const lines = decode(bytes)
    .split(/\r\n|\n|\r/)
    .map((text, i) => ({ text, line: i + 1 }))
    .filter((l) => l.text.trim() !== '');
  if (lines.length === 0) return { rows: [], fileProblem: 'The file is empty.' };
  if (lines.length > MAX_ROWS) return { rows: [], fileProblem: `The file has ${lines.length} rows; a file holds at most ${MAX_ROWS}: split it.` };
  const seen = new Map<string, number>();
  const rows = lines.map(({ text, line }, index): CsvRow => {
    // The format has no quoting: a comma always separates values.
    const values = text.split(',').map((v) => v.trim());
    const [manufacturer = '', model = '', serialNumber = ''] = values;
    const row = { line, text, split: values.length === 3, manufacturer, model, serialNumber, identifier: '' };
    const fail = (problem: string): CsvRow => ({ ...row, problem });
    if (index === 0 && values.length === 3 && values.every((v) => HEADER_WORDS.test(v))) return fail('Looks like a header: the file must not have one.');
    if (values.length !== 3) {
      const extra = values.length > 3 ? ' (no details column for Windows, no commas inside a value)' : '';
      return fail(`Has ${values.length} ${values.length === 1 ? 'value' : 'values'}; each line is manufacturer,model,serial number${extra}.`);
    }
    const named: [string, string][] = [
      ['The manufacturer', manufacturer],
      ['The model', model],
      ['The serial number', serialNumber],
    ];
    for (const [name, value] of named) {
      if (value.includes('"')) return fail(`${name} contains a quotation mark; the format has no quoting (save the file without quotes).`);
      if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value)) return fail(`${name} contains a control character.`);
      if (value === '') return fail(`${name} is empty.`);
      if (value.length > MAX_FIELD) return fail(`${name} is longer than ${MAX_FIELD} characters.`);
    }
    if (serialNumber.includes('.')) return fail(`The serial number has a period: remove the periods (${serialNumber.replace(/\./g, '')}).`);
    const identifier = `${manufacturer},${model},${serialNumber}`;
    const first = seen.get(identifier.toLowerCase());
    if (first !== undefined) return fail(`Repeats line ${first}.`);
    seen.set(identifier.toLowerCase(), line);
    return { ...row, identifier };
  });
  return { rows };
}
