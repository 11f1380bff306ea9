// The text of a CSV file as Windows tools write it, for the Intune upload formats (Autopilot hardware hashes,
// corporate identifiers): UTF-8 with or without a byte order mark, UTF-16 (Windows PowerShell 5.1's
// `Out-File` default, graph-api.md §6.3) or an ANSI code page (what the Intune portal asks for); then its
// non-blank lines, numbered as an editor shows them, split into fields. The upload formats have no quoting.

export type CsvEncoding = 'utf-8' | 'utf-8 with BOM' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface CsvLine {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly fields: readonly string[];
}

export interface CsvText {
  readonly encoding: CsvEncoding;
  readonly lines: readonly CsvLine[];
}

/** A problem with one line of an upload (line null: the whole file). */
export interface CsvProblem {
  readonly line: number | null;
  readonly message: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes the bytes, choosing the encoding from the byte order mark or, without one, from the bytes. */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: decodeUtf8(bytes.subarray(3)), encoding: 'utf-8 with BOM' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  // UTF-16 without a BOM: ASCII text has a NUL in every other byte.
  const sample = bytes.subarray(0, 4096);
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) i % 2 ? oddNuls++ : evenNuls++;
  if (oddNuls > sample.length / 4 && evenNuls === 0) return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16le' };
  if (evenNuls > sample.length / 4 && oddNuls === 0) return { text: new TextDecoder('utf-16be').decode(bytes), encoding: 'utf-16be' };
  try {
    return { text: utf8.decode(bytes), encoding: 'utf-8' };
  } catch {
    // Not UTF-8: an ANSI file, as the portal asks for ("ANSI only"); Western European is the usual code page.
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** The file's non-blank lines, split on commas (fields keep their spaces; callers trim where the format allows). */
export function readCsvText(bytes: Uint8Array): CsvText {
  const { text, encoding } = decodeCsvBytes(bytes);
  const lines: CsvLine[] = [];
  text.split(/\r\n|\n|\r/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    lines.push({ line: i + 1, fields: raw.split(',') });
  });
  return { encoding, lines };
}

/** A note for files the Intune portal would not take as they are (it asks for ANSI); Tarmac reads them. */
export function encodingNote(encoding: CsvEncoding): string | undefined {
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    return `the file is ${encoding.toUpperCase()} (Windows PowerShell's Out-File default); Tarmac reads it, but the Intune portal asks for ANSI: re-save it as ANSI or UTF-8 before uploading it there`;
  }
  if (encoding === 'utf-8 with BOM') return 'the file starts with a UTF-8 byte order mark; Tarmac ignores it';
  return undefined;
}

/** Characters a field may not contain: control characters (a NUL often means a UTF-16 file read wrongly) and quotes. */
export function fieldProblem(name: string, value: string): string | undefined {
  if (value.includes('"')) return `${name} contains a quotation mark; the upload format has no quoting (save the file without quotes, not from Excel)`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value)) return `${name} contains a control character`;
  return undefined;
}
