// The file an export job produces: CSV (csv-stringify) or JSON, zipped (yazl) as one entry named after the
// job, as Intune's download holds `<id>.csv` or `<id>.json`. Rows are added a page at a time.
// CSV as Intune writes it: a UTF-8 byte order mark, a header row, CRLF line ends (graph2otel's live
// exports carry the BOM); fields quoted only when they need it.
import { stringify } from 'csv-stringify/sync';
import yazl from 'yazl';
import type { ReportRow } from './report-definitions.js';

export type ReportFormat = 'csv' | 'json';

export interface ReportFileWriter {
  add(rows: readonly ReportRow[]): void;
  /** The whole file, uncompressed. */
  finish(): Buffer;
  readonly rowCount: number;
}

export function reportFileWriter(format: ReportFormat, columns: readonly string[]): ReportFileWriter {
  const chunks: string[] = [];
  let rowCount = 0;
  if (format === 'csv') {
    const options = { record_delimiter: 'windows' as const };
    chunks.push(stringify([columns as string[]], { ...options, bom: true }));
    return {
      add(rows) {
        if (rows.length === 0) return;
        chunks.push(stringify(rows.map((r) => columns.map((c) => r[c] ?? '')), options));
        rowCount += rows.length;
      },
      finish: () => Buffer.from(chunks.join(''), 'utf8'),
      get rowCount() {
        return rowCount;
      },
    };
  }
  // JSON: {"values":[{column: value, …}, …]}, each object's keys in the selected order.
  chunks.push('{"values":[');
  return {
    add(rows) {
      for (const r of rows) {
        const out: Record<string, string> = {};
        for (const c of columns) out[c] = r[c] ?? '';
        chunks.push(`${rowCount++ === 0 ? '' : ','}${JSON.stringify(out)}`);
      }
    },
    finish: () => Buffer.from(`${chunks.join('')}]}`, 'utf8'),
    get rowCount() {
      return rowCount;
    },
  };
}

/** A zip holding one file. yazl deflates on libuv's thread pool, so a large report does not stall the server. */
export function zipSingleFile(name: string, content: Buffer, mtime: Date): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    const parts: Buffer[] = [];
    zip.outputStream.on('data', (b: Buffer) => parts.push(b));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(parts)));
    zip.addBuffer(content, name, { mtime, compress: true });
    zip.end();
  });
}
