// `tarmac demo` and `tarmac device deploy`: the real CLI (the build in dist/) against a real `tarmac serve`
// child process. The demo does the device preparation tutorial on a fresh tenant and deploys two devices;
// then devices are deployed on that tenant, followed live and at once, with an app that fails, a wrong
// password, --json, and the messages for a refused control key and a server that is down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTarmac, startCliServer, type CliServer } from '../helpers/cli-server.js';

let server: CliServer;
let demo: Awaited<ReturnType<typeof runTarmac>>;
let tenant: string;
let user: string;
let password: string;

beforeAll(async () => {
  server = await startCliServer();
  demo = await runTarmac(['demo', '--url', server.url, '--control-key', server.controlKey]);
  // The demo ends with the command to try another device on its tenant.
  const hint = /tarmac device deploy --url \S+ --tenant (\S+) --user (\S+) --password (\S+)/.exec(demo.stdout);
  if (demo.code !== 0 || !hint) throw new Error(`tarmac demo failed (${demo.code}):\n${demo.stdout}\n${demo.stderr}\n${server.output()}`);
  [, tenant, user, password] = hint as unknown as [string, string, string, string];
}, 60_000);
afterAll(async () => {
  await server?.close();
});

async function control(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${server.url}/_tarmac/tenants/${tenant}${path}`, {
    method,
    headers: { authorization: `Bearer ${server.controlKey}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, `${method} ${path}`).toBe(200);
  return res.json();
}

const deploy = (...args: string[]) =>
  runTarmac(['device', 'deploy', '--url', server.url, '--control-key', server.controlKey, '--tenant', tenant, '--user', user, '--password', password, ...args]);

/** The summary row of one app or script: type, name, tracked or after setup, status. */
const row = (type: string, name: string, status: string) => new RegExp(`^\\s+${type}\\s+${name}\\s+tracked\\s+${status}\\b`, 'm');

describe('tarmac demo', () => {
  it('does the seven steps of the tutorial, then one deployment succeeds and one fails on an app', async () => {
    const steps = [
      'Set up Windows automatic Intune enrollment',
      'Allow users to join devices to Microsoft Entra ID',
      'Create a device group',
      'Create a user group',
      'Assign applications and scripts to device group',
      'Create Windows Autopilot device preparation policy',
      'Identify device using corporate identifiers',
    ];
    steps.forEach((title, i) => expect(demo.stdout).toContain(`Step ${i + 1}: ${title} … done`));
    expect(demo.stdout).toMatch(/Step 3: .* done \(group id [0-9a-f-]{36}, owned by the Intune Provisioning Client\)/);
    expect(demo.stdout.match(/✓ Setup succeeded after \d+ min/g)).toHaveLength(1);
    expect(demo.stdout.match(/✗ Setup failed after \d+ min/g)).toHaveLength(1);
    expect(demo.stdout).toMatch(/Error 0x[0-9a-f]{8} \(appFailed\): App 'Contoso VPN' failed: The installer ended with exit code 1603\./);
    expect(demo.stdout).toMatch(row('app', 'Contoso VPN', 'failed'));
    expect(demo.stdout).toContain('Buttons: Retry, Collect logs');
    expect(demo.stdout).toContain('As intended');
    // What the server holds agrees: on the demo's tenant, the first deployment succeeded, the second failed.
    const deployments = await control('GET', '/deployments');
    expect(deployments.value.map((d: any) => [d.path, d.status, d.corporateIdentifierId !== null])).toEqual([
      ['devicePreparation', 'success', true],
      ['devicePreparation', 'failed', true],
    ]);
  });

  it('says so when the control key is wrong', async () => {
    const run = await runTarmac(['demo', '--url', server.url, '--control-key', 'not-the-key']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('refused the control key (401 Unauthorized)');
    expect(run.stdout).toBe('');
  });
});

describe('tarmac device deploy', () => {
  it('--instant: runs setup to its end and lists every app and script', async () => {
    const run = await deploy('--instant', '--serial', 'CLI-INSTANT-1', '--model', 'Surface Pro 11');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain("Device CLI-INSTANT-1 (Microsoft Corporation Surface Pro 11, Windows Enterprise 10.0.26100.4061) is at the out-of-box experience: Let's start with region. Is this right?");
    expect(run.stdout).toContain('Screen: Setting up for work or school');
    expect(run.stdout).toMatch(/✓ Setup succeeded after \d+ min.*\(Windows Autopilot device preparation, policy 'Windows Autopilot device preparation - User Driven'\)/);
    for (const [type, name] of [['script', 'Set-ContosoDefaults'], ['app', 'Contoso Agent'], ['app', 'Contoso VPN']] as const) expect(run.stdout).toMatch(row(type, name, 'installed'));
  });

  it('follows setup live, one line per stage when stderr is not a terminal', async () => {
    const run = await deploy('--speed', '1500');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\s+\[0:00:00\] joining Microsoft Entra ID · policy installation \(0%\)$/);
    expect(lines.at(-1)).toMatch(/^\s+\[\d:\d\d:\d\d\] at the desktop \(100%\)$/);
    expect(run.stdout).toMatch(/✓ Setup succeeded/);
  });

  it('exits 1 with the error, the failure screen and the failed app when an app fails', async () => {
    // Every app of the tenant fails: the first one tracked stops setup.
    await control('PATCH', '/simulation', { defaults: { app: { durationSeconds: 90, exitCode: 1603 } } });
    try {
      const run = await deploy('--instant');
      expect(run.code, run.stdout + run.stderr).toBe(1);
      expect(run.stdout).toMatch(/✗ Setup failed after \d+ min/);
      expect(run.stdout).toMatch(/Error 0x[0-9a-f]{8} \(appFailed\): App 'Contoso Agent' failed: The installer ended with exit code 1603\./);
      expect(run.stdout).toContain('Screen: Setting up for work or school');
      expect(run.stdout).toContain("Contact your organization's support person for help.");
      expect(run.stdout).toMatch(row('script', 'Set-ContosoDefaults', 'installed'));
      expect(run.stdout).toMatch(row('app', 'Contoso Agent', 'failed'));
      expect(run.stdout).toMatch(row('app', 'Contoso VPN', 'notStarted'));
    } finally {
      await control('PATCH', '/simulation', { defaults: { app: { durationSeconds: { min: 60, max: 240 }, exitCode: 0 } } });
    }
  });

  it('--json prints the final deployment alone on stdout', async () => {
    const run = await deploy('--instant', '--json');
    expect(run.code, run.stderr).toBe(0);
    const d = JSON.parse(run.stdout);
    expect(d.status).toBe('success');
    expect(d.path).toBe('devicePreparation');
    expect(d.apps.map((a: any) => a.status)).toEqual(['installed', 'installed']);
    expect(run.stderr).toContain('signs in');
  });

  it('prints the error code and message of a blocked sign-in', async () => {
    const run = await runTarmac(['device', 'deploy', '--url', server.url, '--control-key', server.controlKey, '--tenant', tenant, '--user', user, '--password', 'wrong-password', '--instant']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`✗ Sign-in blocked for ${user}.`);
    expect(run.stdout).toContain('Error AADSTS50126 (invalidCredentials): Your account or password is incorrect.');
    expect(run.stdout).toContain('Screen: Sign in');
  });

  it('gives a clear message, not a stack trace, for a wrong control key and a server that is down', async () => {
    const wrongKey = await runTarmac(['device', 'deploy', '--url', server.url, '--control-key', 'not-the-key', '--tenant', tenant, '--user', user, '--password', password, '--instant']);
    expect(wrongKey.code).toBe(2);
    expect(wrongKey.stderr.trim()).toBe(`tarmac: the server at ${server.url} refused the control key (401 Unauthorized): give the key \`tarmac serve\` printed with --control-key or TARMAC_CONTROL_KEY`);
    const down = await runTarmac(['device', 'deploy', '--url', 'http://127.0.0.1:9', '--control-key', 'k', '--user', user, '--instant']);
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/^tarmac: cannot reach Tarmac at http:\/\/127\.0\.0\.1:9 .*is `tarmac serve` running\?\n$/);
  });
});
