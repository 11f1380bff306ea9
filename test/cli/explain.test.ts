// `tarmac explain` and `tarmac preflight`: the real CLI against a real `tarmac serve` child, on the tenant
// `tarmac demo` sets up (the device preparation tutorial done through Graph), and on one with a fault.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTarmac, startCliServer, type CliServer } from '../helpers/cli-server.js';
import { appToken } from '../helpers/server.js';
import { userDrivenPolicyBody } from '../../src/intune/device-preparation-templates.js';

let server: CliServer;
let tenant: string;
let user: string;

beforeAll(async () => {
  server = await startCliServer();
  const demo = await runTarmac(['demo', '--url', server.url, '--control-key', server.controlKey]);
  const hint = /tarmac device deploy --url \S+ --tenant (\S+) --user (\S+) --password (\S+)/.exec(demo.stdout);
  if (demo.code !== 0 || !hint) throw new Error(`tarmac demo failed (${demo.code}):\n${demo.stdout}\n${demo.stderr}`);
  [, tenant, user] = hint as unknown as [string, string, string];
}, 60_000);
afterAll(async () => {
  await server?.close();
});

const tarmac = (command: string, ...args: string[]) => runTarmac([command, '--url', server.url, '--control-key', server.controlKey, '--tenant', tenant, ...args]);

describe('tarmac explain', () => {
  it('prints the path, every check and every item for a person', async () => {
    const r = await tarmac('explain', '--user', user);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`If ${user} signs in on a new device:`);
    expect(r.stdout).toMatch(/setup succeeds after \d+ min — path: devicePreparation/);
    expect(r.stdout).toMatch(/✓ Automatic MDM enrollment covers the user/);
    expect(r.stdout).toMatch(/→ .* \(priority 1\) — Assigned to the user/);
    expect(r.stdout).toMatch(/installed\s+app\s+Contoso Agent \(tracked, \d+ s\)/);
  });

  it('prints JSON with --json, and a device that was set up compared with the prediction', async () => {
    const devices = await (await fetch(`${server.url}/_tarmac/tenants/${tenant}/devices`, { headers: { authorization: `Bearer ${server.controlKey}` } })).json();
    const good = devices.value[0];
    const r = await tarmac('explain', '--user', user, '--device', good.serialNumber, '--json');
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.prediction.path).toBe('devicePreparation');
    expect(body.lastDeployment).toMatchObject({ status: 'success' });
  });

  it('says what is missing and exits 2 on bad input', async () => {
    expect((await tarmac('explain')).code).toBe(2);
    const r = await tarmac('explain', '--user', 'nobody@nowhere.example');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("User 'nobody@nowhere.example' does not exist");
  });
});

describe('tarmac preflight', () => {
  it('passes the tutorial done right (exit 0) and prints JSON with --json', async () => {
    const r = await tarmac('preflight');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Preflight: 0 error\(s\)/);
    const json = await tarmac('preflight', '--json');
    expect(JSON.parse(json.stdout).summary.errors).toBe(0);
  });

  it('exits 1 on a tenant with errors, printing each finding with its fix and source, worst first', async () => {
    const res = await fetch(`${server.url}/_tarmac/tenants`, { method: 'POST', headers: { authorization: `Bearer ${server.controlKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ seed: 'empty' }) });
    const created = await res.json();
    const token = await appToken(server.url, created.tenantId, created.admin.clientId, created.admin.clientSecret);
    // A policy saved with no device group and assigned to nobody.
    const policy = await fetch(`${server.url}/beta/deviceManagement/configurationPolicies`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(userDrivenPolicyBody({ name: 'Forgotten policy' })) });
    expect(policy.status).toBe(201);
    const r = await runTarmac(['preflight', '--url', server.url, '--control-key', server.controlKey, '--tenant', created.tenantId]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Preflight: [1-9]\d* error\(s\)/);
    expect(r.stdout).toContain('dpNoDeviceGroup');
    expect(r.stdout).toMatch(/Fix: /);
    expect(r.stdout).toMatch(/Source: /);
    expect(r.stdout.indexOf('ERROR')).toBeLessThan(r.stdout.indexOf('WARNING') === -1 ? Infinity : r.stdout.indexOf('WARNING'));
  });
});
