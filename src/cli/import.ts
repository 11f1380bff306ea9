// `tarmac import autopilot-devices FILE.csv…` and `tarmac import corporate-identifiers FILE.csv…`: the admin
// center's CSV uploads, done through Graph against a running server. Every file is read and checked first;
// a broken row anywhere is reported (file:line: reason) and nothing is imported. Devices or identifiers the
// tenant already has are reported the same way (the portal asks about them too). Then each file is imported
// in one call, with a progress bar, and what the service refused is reported row by row. The exit code is
// 0 when every row was imported, 1 otherwise (2 when the server could not be used).
import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { parseAutopilotCsv, AUTOPILOT_CSV_MAX_BYTES, type AutopilotCsvRow } from '../intune/autopilot-csv.js';
import { parseCorporateIdentifierCsv, CORPORATE_CSV_MAX_BYTES, type CorporateIdentifierRow } from '../intune/corporate-identifier-csv.js';
import type { CsvProblem } from '../intune/csv-text.js';
import { MAX_DESCRIPTION_LENGTH } from '../intune/corporate-identifiers.js';
import { ConnectionError, GraphConnection, withConnectionOptions, type ConnectionOptions } from './graph-connection.js';

const tty = process.stdout.isTTY;
const paint = (code: number) => (s: string) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
const red = paint(31);
const green = paint(32);
const dim = paint(2);

const AUTOPILOT = '/beta/deviceManagement/windowsAutopilotDeviceIdentities';
const IMPORTS = '/beta/deviceManagement/importedWindowsAutopilotDeviceIdentities';
const IDENTIFIERS = '/beta/deviceManagement/importedDeviceIdentities';

/** What Intune's import errors mean, for the people reading them (behaviour.md §5.1). */
const IMPORT_ERROR_TEXT: Record<string, string> = {
  ZtdDeviceAlreadyAssigned: 'the device is already registered in this tenant',
  ZtdDeviceAssignedToAnotherTenant: 'the device is registered in another tenant; it must be deregistered there first',
  ZtdDeviceDuplicated: 'the device appears more than once in the import; only the first was processed',
  InvalidZtdHardwareHash: 'the hardware hash or serial number is invalid or empty',
};

interface FileProblem extends CsvProblem {
  readonly file: string;
}

class Report {
  readonly problems: FileProblem[] = [];
  add(file: string, problem: CsvProblem): void {
    this.problems.push({ file, ...problem });
  }
  print(): void {
    for (const p of this.problems) console.log(`${red('✗')} ${p.file}${p.line !== null ? `:${p.line}` : ''}: ${p.message}`);
  }
}

/** Reads a file's bytes, refusing one far too large before loading it. */
function readUpload(file: string, maxBytes: number, report: Report): Uint8Array | undefined {
  try {
    const size = statSync(file).size;
    if (size > maxBytes) {
      report.add(file, { line: null, message: `the file is ${(size / 1024 / 1024).toFixed(1)} MB; the limit is ${maxBytes / 1024 / 1024} MB: split it` });
      return undefined;
    }
    return readFileSync(file);
  } catch (err) {
    report.add(file, { line: null, message: `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
    return undefined;
  }
}

function progressBar(unit: string): cliProgress.SingleBar {
  return new cliProgress.SingleBar(
    { format: `Importing |{bar}| {value}/{total} ${unit}`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
}

/** Runs a command body, turning connection problems into exit code 2. */
async function run(body: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await body();
  } catch (err) {
    if (!(err instanceof ConnectionError)) throw err;
    console.error(`tarmac: ${err.message}`);
    process.exitCode = 2;
  }
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

async function importAutopilotDevices(files: string[], options: ConnectionOptions & { groupTag?: string }): Promise<number> {
  const report = new Report();
  const parsed: { file: string; rows: AutopilotCsvRow[] }[] = [];
  const firstSeen = new Map<string, string>();
  for (const file of files) {
    const bytes = readUpload(file, AUTOPILOT_CSV_MAX_BYTES, report);
    if (!bytes) continue;
    const csv = parseAutopilotCsv(bytes);
    for (const note of csv.notes) console.log(dim(`note: ${file}: ${note}`));
    for (const p of csv.problems) report.add(file, p);
    for (const row of csv.rows) {
      const key = row.serialNumber.toUpperCase();
      const other = firstSeen.get(key);
      if (other) report.add(file, { line: row.line, message: `device ${row.serialNumber} is also in ${other} (ZtdDeviceDuplicated)` });
      else firstSeen.set(key, `${file}:${row.line}`);
    }
    parsed.push({ file, rows: [...csv.rows] });
  }
  if (options.groupTag !== undefined && options.groupTag.includes(',')) report.add('--group-tag', { line: null, message: 'a group tag cannot contain a comma' });
  if (report.problems.length > 0) {
    report.print();
    console.log(`No device was imported: fix the ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} above and run the import again.`);
    return 1;
  }

  const graph = await GraphConnection.connect(options);
  // Devices the tenant already has would fail with ZtdDeviceAlreadyAssigned: report them before importing anything.
  const all = parsed.flatMap(({ file, rows }) => rows.map((row) => ({ file, row })));
  for (let i = 0; i < all.length; i += 40) {
    const chunk = all.slice(i, i + 40);
    const filter = `serialNumber in (${chunk.map((c) => quote(c.row.serialNumber)).join(',')})`;
    const found = await graph.expect<{ value: { id: string; serialNumber: string }[] }>(200, 'GET', `${AUTOPILOT}?$select=id,serialNumber&$top=999&$filter=${encodeURIComponent(filter)}`);
    const registered = new Map(found.value.map((d) => [d.serialNumber.toUpperCase(), d.id]));
    for (const { file, row } of chunk) {
      const id = registered.get(row.serialNumber.toUpperCase());
      if (id) report.add(file, { line: row.line, message: `device ${row.serialNumber} is already registered (Autopilot device ${id}; ZtdDeviceAlreadyAssigned)` });
    }
  }
  if (report.problems.length > 0) {
    report.print();
    console.log('No device was imported: remove the devices already registered from the file, or delete their registrations, and run the import again.');
    return 1;
  }

  const bar = progressBar('devices');
  bar.start(all.length, 0);
  let imported = 0;
  const failed: FileProblem[] = [];
  try {
    for (const { file, rows } of parsed) {
      const body = {
        importedWindowsAutopilotDeviceIdentities: rows.map((row) => ({
          '@odata.type': '#microsoft.graph.importedWindowsAutopilotDeviceIdentity',
          groupTag: options.groupTag ?? row.groupTag,
          serialNumber: row.serialNumber,
          productKey: row.productKey,
          hardwareIdentifier: row.hardwareHash,
          assignedUserPrincipalName: row.assignedUser,
        })),
      };
      const answer = await graph.expect<{ value: { serialNumber: string; state: { deviceImportStatus: string; deviceErrorCode: number; deviceErrorName: string } }[] }>(
        200,
        'POST',
        `${IMPORTS}/import`,
        body,
      );
      answer.value.forEach((result, i) => {
        const row = rows[i]!;
        if (result.state.deviceImportStatus === 'complete') imported++;
        else {
          const name = result.state.deviceErrorName;
          failed.push({ file, line: row.line, message: `device ${row.serialNumber}: ${name} (${result.state.deviceErrorCode}): ${IMPORT_ERROR_TEXT[name] ?? 'not imported'}` });
        }
      });
      bar.increment(rows.length);
    }
  } finally {
    bar.stop();
  }
  const report2 = new Report();
  for (const f of failed) report2.add(f.file, f);
  report2.print();
  if (failed.length === 0) {
    console.log(`${green('✓')} Registered ${imported} device${imported === 1 ? '' : 's'} with Windows Autopilot.`);
    return 0;
  }
  console.log(`Registered ${imported} of ${all.length} devices; ${failed.length} row${failed.length === 1 ? '' : 's'} failed (above).`);
  return 1;
}

/** Identifiers per importDeviceIdentityList call: a file's worth, or fewer so that a body stays under 3 MB. */
function chunksOf<T extends { row: CorporateIdentifierRow }>(rows: readonly T[], description: string): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const r of rows) {
    const itemSize = r.row.identifier.length + description.length + 200;
    if (current.length > 0 && (size + itemSize > 3 * 1024 * 1024 || current.length >= 5000)) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(r);
    size += itemSize;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

async function importCorporateIdentifiers(files: string[], options: ConnectionOptions & { overwrite?: boolean; description?: string }): Promise<number> {
  const report = new Report();
  const description = options.description ?? '';
  if (description.length > MAX_DESCRIPTION_LENGTH) report.add('--description', { line: null, message: `details are limited to ${MAX_DESCRIPTION_LENGTH} characters` });
  const all: { file: string; row: CorporateIdentifierRow }[] = [];
  const firstSeen = new Map<string, string>();
  for (const file of files) {
    const bytes = readUpload(file, CORPORATE_CSV_MAX_BYTES, report);
    if (!bytes) continue;
    const csv = parseCorporateIdentifierCsv(bytes);
    for (const note of csv.notes) console.log(dim(`note: ${file}: ${note}`));
    for (const p of csv.problems) report.add(file, p);
    for (const row of csv.rows) {
      const key = row.identifier.toLowerCase();
      const other = firstSeen.get(key);
      if (other) report.add(file, { line: row.line, message: `repeats ${other} (${row.identifier})` });
      else {
        firstSeen.set(key, `${file}:${row.line}`);
        all.push({ file, row });
      }
    }
  }
  if (report.problems.length > 0) {
    report.print();
    console.log(`No identifier was imported: fix the ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} above and run the import again.`);
    return 1;
  }

  const graph = await GraphConnection.connect(options);
  const item = (identifier: string) => ({
    '@odata.type': '#microsoft.graph.importedDeviceIdentity',
    importedDeviceIdentifier: identifier,
    importedDeviceIdentityType: 'manufacturerModelSerial',
    description,
    platform: 'windows',
  });
  // As the portal does: look for identifiers Intune already has, and replace them only when asked.
  if (!options.overwrite) {
    for (let i = 0; i < all.length; i += 1000) {
      const chunk = all.slice(i, i + 1000);
      const found = await graph.expect<{ value: { importedDeviceIdentifier: string }[] }>(200, 'POST', `${IDENTIFIERS}/searchExistingIdentities`, {
        importedDeviceIdentities: chunk.map((c) => item(c.row.identifier)),
      });
      const existing = new Set(found.value.map((v) => v.importedDeviceIdentifier.split(',').map((p) => p.trim()).join(',').toLowerCase()));
      for (const { file, row } of chunk) {
        if (existing.has(row.identifier.toLowerCase())) report.add(file, { line: row.line, message: `${row.identifier} is already a corporate identifier (use --overwrite to replace its details)` });
      }
    }
    if (report.problems.length > 0) {
      report.print();
      console.log('No identifier was imported: remove the identifiers Intune already has, or run the import with --overwrite.');
      return 1;
    }
  }

  const bar = progressBar('identifiers');
  bar.start(all.length, 0);
  let imported = 0;
  const failed = new Report();
  try {
    for (const chunk of chunksOf(all, description)) {
      const answer = await graph.expect<{ value: { status: boolean }[] }>(200, 'POST', `${IDENTIFIERS}/importDeviceIdentityList`, {
        importedDeviceIdentities: chunk.map((c) => item(c.row.identifier)),
        overwriteImportedDeviceIdentities: options.overwrite ?? false,
      });
      answer.value.forEach((result, i) => {
        const { file, row } = chunk[i]!;
        if (result.status) imported++;
        else failed.add(file, { line: row.line, message: `${row.identifier} was not imported (it already exists, or Intune refused it)` });
      });
      bar.increment(chunk.length);
    }
  } finally {
    bar.stop();
  }
  failed.print();
  if (failed.problems.length === 0) {
    console.log(`${green('✓')} Imported ${imported} corporate identifier${imported === 1 ? '' : 's'}.`);
    return 0;
  }
  console.log(`Imported ${imported} of ${all.length} identifiers; ${failed.problems.length} failed (above).`);
  return 1;
}

export function registerImportCommands(program: Command): void {
  const importCommand = program.command('import').description('upload the Intune admin center\'s CSV files to a running server, through Graph');

  withConnectionOptions(
    importCommand
      .command('autopilot-devices')
      .argument('<files...>', "Get-WindowsAutopilotInfo CSV files: 'Device Serial Number,Windows Product ID,Hardware Hash[,Group Tag[,Assigned User]]', at most 500 devices each")
      .option('--group-tag <tag>', 'give every device this group tag, instead of the file\'s')
      .description('register devices with Windows Autopilot from hardware hash CSV files (exit 1 if any row fails)'),
  ).action((files: string[], options: ConnectionOptions & { groupTag?: string }) => run(() => importAutopilotDevices(files, options)));

  withConnectionOptions(
    importCommand
      .command('corporate-identifiers')
      .argument('<files...>', "CSV files without a header, one 'manufacturer,model,serial number' per line, at most 5,000 lines or 5 MB each")
      .option('--overwrite', 'replace the details of identifiers Intune already has (otherwise they are reported and nothing is imported)')
      .option('--description <text>', 'details stored with every identifier (at most 128 characters)')
      .description('add Windows corporate identifiers from CSV files (exit 1 if any row fails)'),
  ).action((files: string[], options: ConnectionOptions & { overwrite?: boolean; description?: string }) => run(() => importCorporateIdentifiers(files, options)));
}
