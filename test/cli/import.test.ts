// `tarmac import autopilot-devices` and `tarmac import corporate-identifiers`: the real CLI (the build in
// dist/) against a running server, with the files Windows tools write (UTF-16 from Windows PowerShell,
// byte order marks, ANSI), broken rows and over-size files: every problem reported by file and line, and
// nothing imported from a file that has one.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTarmac } from '../helpers/cli-server.js';
import { createTestTenant, json, startTestServer, type TestServer, type TestTenant } from '../helpers/server.js';

let t: TestServer;
let tenant: TestTenant;
let dir: string;

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTestTenant(t, 'demo');
  dir = mkdtempSync(join(tmpdir(), 'tarmac-import-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await t.close();
});

const connection = () => ['--url', t.url, '--tenant', tenant.tenantId, '--client-id', tenant.admin.clientId, '--client-secret', tenant.admin.clientSecret];
let fileCounter = 0;
function file(content: Buffer | string): string {
  const path = join(dir, `upload-${++fileCounter}.csv`);
  writeFileSync(path, content);
  return path;
}
/** As Windows PowerShell 5.1's Out-File writes it: UTF-16LE with a byte order mark, CRLF. */
const utf16 = (lines: string[]) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines.join('\r\n') + '\r\n', 'utf16le')]);
const utf8Bom = (lines: string[]) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n'), 'utf8')]);
const ansi = (lines: string[]) => Buffer.from(lines.join('\r\n'), 'latin1');

let serialCounter = 0;
const serial = () => `CLI${Date.now().toString(36).toUpperCase()}${++serialCounter}`;
const hash = () => randomBytes(2000).toString('base64');
const HEADER = 'Device Serial Number,Windows Product ID,Hardware Hash,Group Tag,Assigned User';
const importDevices = (...args: string[]) => runTarmac(['import', 'autopilot-devices', ...args, ...connection()]);
const importIdentifiers = (...args: string[]) => runTarmac(['import', 'corporate-identifiers', ...args, ...connection()]);

async function registered(serials: string[]): Promise<string[]> {
  const filter = encodeURIComponent(`serialNumber in (${serials.map((s) => `'${s}'`).join(',')})`);
  const res = await json(tenant.graph('GET', `/beta/deviceManagement/windowsAutopilotDeviceIdentities?$filter=${filter}&$select=serialNumber`));
  return res.body.value.map((d: any) => d.serialNumber).sort();
}

describe('tarmac import autopilot-devices', () => {
  it('imports the UTF-16 file Get-WindowsAutopilotInfo writes in Windows PowerShell, with group tags and users', async () => {
    const tag = `CliTag${serialCounter}`;
    const group = await json(
      tenant.graph('POST', '/v1.0/groups', {
        displayName: 'CLI tag group',
        mailEnabled: false,
        mailNickname: 'clitag',
        securityEnabled: true,
        groupTypes: ['DynamicMembership'],
        membershipRule: `(device.devicePhysicalIds -any (_ -eq "[OrderID]:${tag}"))`,
        membershipRuleProcessingState: 'On',
      }),
    );
    const serials = [serial(), serial(), serial()];
    const path = file(utf16([HEADER, `${serials[0]},,${hash()},${tag},${tenant.users[0]!.userPrincipalName}`, `${serials[1]},,${hash()},${tag},`, `${serials[2]},,${hash()},,`]));
    const run = await importDevices(path);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('UTF-16LE');
    expect(run.stdout).toContain('Registered 3 devices with Windows Autopilot.');
    expect(await registered(serials)).toEqual([...serials].sort());
    const members = await json(tenant.graph('GET', `/v1.0/groups/${group.body.id}/members?$select=displayName`));
    expect(members.body.value.map((m: any) => m.displayName).sort()).toEqual([serials[0], serials[1]].sort());
  });

  it('imports a UTF-8 file with a byte order mark and the three-column header', async () => {
    const serials = [serial(), serial()];
    const run = await importDevices(file(utf8Bom(['Device Serial Number,Windows Product ID,Hardware Hash', ...serials.map((s) => `${s},,${hash()}`)])));
    expect(run.code, run.stdout).toBe(0);
    expect(await registered(serials)).toEqual([...serials].sort());
  });

  it('reports every broken row by file and line and imports nothing from the file', async () => {
    const good = serial();
    const dup = serial();
    const path = file(
      utf16([
        HEADER,
        `${good},,${hash()},,`,
        `${serial()},,${hash()}`,
        `,,${hash()},,`,
        `${serial()},,not-base64!,,`,
        `"${serial()}",,${hash()},,`,
        `${dup},,${hash()},,`,
        `${dup.toLowerCase()},,${hash()},,`,
        `${serial()},,${hash()},,not a upn`,
        `${serial()},,,,`,
      ]),
    );
    const run = await importDevices(path);
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n').filter((l) => l.startsWith('✗'));
    expect(lines.map((l) => Number(/\.csv:(\d+):/.exec(l)?.[1]))).toEqual([3, 4, 5, 6, 8, 9, 10]);
    expect(run.stdout).toMatch(/:3: has 3 fields, the header has 5/);
    expect(run.stdout).toMatch(/:4: Device Serial Number is empty/);
    expect(run.stdout).toMatch(/:5: Hardware Hash is not base64/);
    expect(run.stdout).toMatch(/:6: .*quotation mark/);
    expect(run.stdout).toMatch(/:8: device .* is already on line 7 \(ZtdDeviceDuplicated\)/);
    expect(run.stdout).toMatch(/:9: Assigned User 'not a upn' is not a user principal name/);
    expect(run.stdout).toMatch(/:10: Hardware Hash is empty \(InvalidZtdHardwareHash\)/);
    expect(run.stdout).toContain('No device was imported');
    expect(await registered([good, dup])).toEqual([]);
  });

  it('refuses a file over 500 devices, a wrong header and a Partner Center file', async () => {
    const many = Array.from({ length: 501 }, () => `${serial()},,${hash().slice(0, 8)},,`);
    const tooMany = await importDevices(file([HEADER, ...many].join('\n')));
    expect(tooMany.code).toBe(1);
    expect(tooMany.stdout).toContain('the file has 501 devices; the portal imports at most 500 per file');
    expect(await registered(many.slice(0, 5).map((l) => l.split(',')[0]!))).toEqual([]);
    const lower = await importDevices(file(ansi(['device serial number,windows product id,hardware hash', `${serial()},,${hash()}`])));
    expect(lower.stdout).toMatch(/:1: the header is case-sensitive/);
    const partner = await importDevices(file(ansi(['Device Serial Number,Windows Product ID,Hardware Hash,Manufacturer name,Device model', `${serial()},,${hash()},Contoso,Laptop`])));
    expect(partner.stdout).toContain('Partner Center file');
    const empty = await importDevices(file(''));
    expect(empty.stdout).toContain('the file is empty');
    expect(empty.code).toBe(1);
  });

  it('reports devices already registered and imports nothing; a server it cannot reach is exit code 2', async () => {
    const existing = serial();
    expect((await importDevices(file([HEADER, `${existing},,${hash()},,`].join('\n')))).code).toBe(0);
    const fresh = serial();
    const again = await importDevices(file([HEADER, `${fresh},,${hash()},,`, `${existing},,${hash()},,`].join('\n')));
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(new RegExp(`:3: device ${existing} is already registered .*ZtdDeviceAlreadyAssigned`));
    expect(await registered([fresh])).toEqual([]);
    const down = await runTarmac(['import', 'autopilot-devices', file([HEADER, `${serial()},,${hash()},,`].join('\n')), '--url', 'http://127.0.0.1:9', '--tenant', tenant.tenantId]);
    expect(down.code).toBe(2);
    expect(down.stderr).toContain('cannot reach Tarmac at http://127.0.0.1:9');
  });
});

describe('tarmac import corporate-identifiers', () => {
  const listed = async (prefix: string) => {
    const res = await json(tenant.graph('GET', `/beta/deviceManagement/importedDeviceIdentities?$filter=startswith(importedDeviceIdentifier,'${prefix}')&$top=999`));
    return res.body.value.map((i: any) => i.importedDeviceIdentifier).sort();
  };

  it('imports an ANSI file (the portal\'s format) and a UTF-16 one', async () => {
    const run = await importIdentifiers(file(ansi(['Microsoft,Surface Laptop 5,0F01234567', 'Lenovo,ThinkPad T14 Génération 4,PF2ABCDE', ''])), '--description', 'Batch 1');
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('Imported 2 corporate identifiers.');
    expect(await listed('Lenovo,ThinkPad T14 G')).toEqual(['Lenovo,ThinkPad T14 Génération 4,PF2ABCDE']);
    const wide = await importIdentifiers(file(utf16(['HP,EliteBook 840 G10,5CG3300XYZ'])));
    expect(wide.code).toBe(0);
    expect(await listed('HP,')).toEqual(['HP,EliteBook 840 G10,5CG3300XYZ']);
  });

  it('reports broken rows by line and imports nothing', async () => {
    const path = file(['Manufacturer,Model,Serial Number', 'Dell,Latitude 7440,SER.123', 'Dell,Latitude 7440', 'Dell,,SER2', 'Dell,Latitude 7440,SER3', 'dell,latitude 7440,ser3', 'Dell,Latitude,7440,SER4'].join('\n'));
    const run = await importIdentifiers(path);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/:1: looks like a header/);
    expect(run.stdout).toMatch(/:2: the serial number 'SER\.123' has a period: remove the periods \(write 'SER123'\)/);
    expect(run.stdout).toMatch(/:3: has 2 fields/);
    expect(run.stdout).toMatch(/:4: the model is empty/);
    expect(run.stdout).toMatch(/:6: repeats line 5/);
    expect(run.stdout).toMatch(/:7: has 4 fields/);
    expect(await listed('Dell,')).toEqual([]);
  });

  it('refuses files over 5,000 rows or 5 MB', async () => {
    const rows = Array.from({ length: 5001 }, (_, i) => `Acme,Model,S${i}`);
    const many = await importIdentifiers(file(rows.join('\n')));
    expect(many.code).toBe(1);
    expect(many.stdout).toContain('the file has 5001 rows; Intune takes at most 5000 per file');
    const big = await importIdentifiers(file(`Acme,${'M'.repeat(5 * 1024 * 1024)},S1`));
    expect(big.code).toBe(1);
    expect(big.stdout).toMatch(/the file is 5\.0 MB; the limit is 5 MB/);
    expect(await listed('Acme,')).toEqual([]);
  });

  it('reports identifiers Intune already has unless --overwrite is given', async () => {
    expect((await importIdentifiers(file('Fujitsu,Lifebook U9,FJ001\n'), '--description', 'old')).code).toBe(0);
    const again = await importIdentifiers(file('Fujitsu,Lifebook U9,FJ001\nFujitsu,Lifebook U9,FJ002\n'));
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/:1: Fujitsu,Lifebook U9,FJ001 is already a corporate identifier \(use --overwrite/);
    expect(await listed('Fujitsu,')).toEqual(['Fujitsu,Lifebook U9,FJ001']);
    const over = await importIdentifiers(file('Fujitsu,Lifebook U9,FJ001\nFujitsu,Lifebook U9,FJ002\n'), '--overwrite', '--description', 'new');
    expect(over.code, over.stdout).toBe(0);
    const items = await json(tenant.graph('GET', `/beta/deviceManagement/importedDeviceIdentities?$filter=startswith(importedDeviceIdentifier,'Fujitsu')`));
    expect(items.body.value.map((i: any) => i.description)).toEqual(['new', 'new']);
  });
});
