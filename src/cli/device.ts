// `tarmac device deploy`: a simulated device taken through setup on a running server, as a person in front
// of it would see it: the device starts at the out-of-box experience, the user signs in, and setup runs while
// the tenant's virtual clock is moved forward (or at once with --instant). At the end it prints the device's
// last screen and what became of every app and script. Exit 0 when setup succeeded, 1 when it failed or was
// blocked, 2 when the server could not be used. The pieces are shared with `tarmac demo`.
import { InvalidArgumentError, Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import type { deploymentView } from '../provisioning/deployment-view.js';
import { WINDOWS_EDITIONS } from '../provisioning/checks.js';
import { DEFAULT_OS_VERSION } from '../provisioning/simulated-devices.js';
import { DEMO } from '../control/demo-tenant.js';
import { ControlConnection, runCommand, withControlOptions, type ControlOptions } from './control-connection.js';

const tty = process.stdout.isTTY;
const paint = (code: number) => (s: string) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
const red = paint(31);
const green = paint(32);
const dim = paint(2);
const bold = paint(1);

/** A deployment as the control API returns it (GET /_tarmac/tenants/{t}/deployments/{id}). */
export type DeploymentJson = ReturnType<typeof deploymentView>;
type ItemJson = DeploymentJson['apps'][number];

export interface DeviceJson {
  readonly id: string;
  readonly serialNumber: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly windowsEdition: string;
  readonly osVersion: string;
}

export interface DeviceSpec {
  readonly serialNumber?: string;
  readonly manufacturer?: string;
  readonly model?: string;
  readonly osVersion?: string;
  readonly windowsEdition?: string;
  readonly behaviour?: unknown;
}

/** What a device shows before anyone signs in: the first page of the out-of-box experience. */
export const OOBE_TITLE = "Let's start with region. Is this right?";

const tenantPath = (tenant: string) => `/tenants/${encodeURIComponent(tenant)}`;

export function createDevice(control: ControlConnection, tenant: string, spec: DeviceSpec): Promise<DeviceJson> {
  return control.expect<DeviceJson>(201, 'POST', `${tenantPath(tenant)}/devices`, spec);
}

export function signIn(control: ControlConnection, tenant: string, deviceId: string, userPrincipalName: string, password: string): Promise<DeploymentJson> {
  return control.expect<DeploymentJson>(201, 'POST', `${tenantPath(tenant)}/devices/${deviceId}/sign-in`, { userPrincipalName, password });
}

/** Jumps the tenant's clock from transition to transition until nothing in the deployment waits on time. */
export function runToEnd(control: ControlConnection, tenant: string, deploymentId: string): Promise<DeploymentJson> {
  return control.expect<DeploymentJson>(200, 'POST', `${tenantPath(tenant)}/deployments/${deploymentId}/run`);
}

// ---------------------------------------------------------------------------------------------------------
// Words for what the engine reports

const STAGES: Readonly<Record<string, string>> = {
  signIn: 'signing in',
  entraJoin: 'joining Microsoft Entra ID',
  mdmEnrollment: 'enrolling in Intune',
  preparing: 'preparing (management extension, sync)',
  installing: 'installing',
  accountSignIn: 'signing in for account setup',
  setupComplete: 'required setup complete',
  desktop: 'at the desktop',
  failed: 'failed',
  stopped: 'stopped',
};

const PHASES: Readonly<Record<string, string>> = {
  policyInstallation: 'policy installation',
  scriptInstallation: 'script installation',
  appInstallation: 'app installation',
  devicePreparation: 'device preparation',
  deviceSetup: 'device setup',
  accountSetup: 'account setup',
};

const BUTTONS: Readonly<Record<string, string>> = {
  retry: 'Retry',
  continueAnyway: 'Continue anyway',
  resetDevice: 'Reset device',
  collectLogs: 'Collect logs',
  continue: 'Continue',
};

/** "9 min 12 s": the length of a setup. */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`;
}

/** "0:02:30": virtual time since sign-in, as a clock. */
function clockTime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** Which setup the device runs, in the portal's words. */
export function pathName(d: DeploymentJson): string {
  const path = d.path === 'blocked' ? d.intendedPath : d.path;
  if (path === 'devicePreparation') return `Windows Autopilot device preparation, policy '${d.policy?.name ?? '?'}'`;
  if (path === 'classicAutopilot') return d.profile?.displayName ? `Windows Autopilot, profile '${d.profile.displayName}'` : 'Windows Autopilot, default profile';
  const esp = d.enrollmentStatusPage ? `, Enrollment Status Page '${d.enrollmentStatusPage.displayName}'` : '';
  return `Microsoft Entra join with automatic Intune enrollment${esp}`;
}

/** What the device is doing: stage, phase and the item installing now. */
function activity(d: DeploymentJson): string {
  const phase = d.running && d.phase ? ` · ${PHASES[d.phase] ?? d.phase}` : '';
  const item = [...d.apps, ...d.scripts].find((i) => i.tracked && i.status === 'inProgress');
  return `${STAGES[d.stage] ?? d.stage}${phase}${d.stage === 'installing' && item ? `: ${item.displayName}` : ''}`;
}

/** The device's last screen, the error, and a table of every app and script. */
export function outcomeLines(d: DeploymentJson): string[] {
  const lines: string[] = [];
  const time = d.deploymentTimeSeconds === null ? '' : ` after ${duration(d.deploymentTimeSeconds)}`;
  if (d.status === 'success') lines.push(green(`✓ Setup succeeded${time}`) + ` (${pathName(d)}).`);
  else if (d.path === 'blocked' && d.error?.stage === 'signIn') lines.push(red(`✗ Sign-in blocked for ${d.userPrincipalName}.`));
  else if (d.path === 'blocked') lines.push(red(`✗ Setup blocked while ${STAGES[d.error?.stage ?? ''] ?? d.error?.stage}${time}`) + ` (${pathName(d)}).`);
  else if (d.status === 'failed') lines.push(red(`✗ Setup failed${time}`) + ` (${pathName(d)}).`);
  else lines.push(`Setup is still in progress (${activity(d)}); it waits for someone at the device.`);
  if (d.error) lines.push(`  Error ${d.error.code} (${d.error.reason}): ${d.error.message}`);
  if (d.continuedAnyway) lines.push('  The user chose to continue anyway.');

  const screen = d.screen;
  lines.push(`  Screen: ${bold(screen.title)}${screen.errorCode && !d.error ? ` (${screen.errorCode})` : ''}`);
  // A blocked device shows the error itself: printed once, above.
  if (screen.message && screen.message !== d.error?.message) lines.push(`    ${screen.message}`);
  lines.push(`    ${screen.actions.length > 0 ? `Buttons: ${screen.actions.map((a) => BUTTONS[a] ?? a).join(', ')}` : 'No buttons.'}`);

  const items: (ItemJson & { kind: string })[] = [...d.scripts.map((s) => ({ ...s, kind: 'script' })), ...d.apps.map((a) => ({ ...a, kind: 'app' }))];
  if (items.length === 0) {
    lines.push(d.path === 'blocked' ? '  Nothing was installed.' : '  No app or script was assigned to the device.');
    return lines;
  }
  const rows = items.map((i) => [i.kind, i.displayName, i.tracked ? 'tracked' : 'after setup', i.status, i.reason ?? '']);
  const header = ['type', 'name', 'installs', 'status', 'reason'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const pad = (cells: string[]) => cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  lines.push(`  ${dim(pad(header))}`);
  for (const row of rows) {
    const colour = row[3] === 'failed' ? red : row[3] === 'installed' ? green : (s: string) => s;
    lines.push(`  ${pad([row[0]!, row[1]!, row[2]!, colour(row[3]!.padEnd(widths[3]!)), row[4]!])}`);
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------------------
// Following a deployment live

interface Progress {
  update(d: DeploymentJson, virtualNow: number): void;
  stop(): void;
}

/** A bar for a person at a terminal: the device's percentage, the virtual time and what it is doing. */
function progressBar(): Progress {
  const bar = new cliProgress.SingleBar(
    { format: '{screen} |{bar}| {percentage}% · {time} · {activity}', stream: process.stderr, hideCursor: true, clearOnComplete: false, barsize: 30 },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(d, now) {
      const payload = { screen: d.screen.title, time: clockTime(now - Date.parse(d.startedDateTime!)), activity: activity(d) };
      if (!started) bar.start(100, d.progressPercentage, payload);
      else bar.update(d.progressPercentage, payload);
      started = true;
    },
    stop: () => bar.stop(),
  };
}

/** For logs and pipes: one line each time the stage or phase changes. */
function stageLines(): Progress {
  let last = '';
  return {
    update(d, now) {
      const key = `${d.stage}/${d.running ? d.phase : ''}`;
      if (key === last) return;
      last = key;
      console.error(`  [${clockTime(now - Date.parse(d.startedDateTime!))}] ${activity(d)} (${d.progressPercentage}%)`);
    },
    stop() {},
  };
}

const TICK_MS = 200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Moves the tenant's clock forward by `speed` virtual seconds per real second and polls the deployment until
 * nothing in it waits on time any more (installs after setup included). The clock already runs at its own
 * rate, so only the difference is added.
 */
async function follow(control: ControlConnection, tenant: string, start: DeploymentJson, speed: number, progress: Progress): Promise<DeploymentJson> {
  const clock = await control.expect<{ now: string; rate: number }>(200, 'GET', `${tenantPath(tenant)}/clock`);
  const extra = Math.max(0, speed - clock.rate);
  let d = start;
  let now = Date.parse(clock.now);
  let last = Date.now();
  progress.update(d, now);
  while (d.nextTransitionDateTime !== null) {
    await sleep(TICK_MS);
    const real = Date.now();
    const clockNow =
      extra > 0
        ? await control.expect<{ now: string }>(200, 'POST', `${tenantPath(tenant)}/clock`, { advanceSeconds: (extra * (real - last)) / 1000 })
        : await control.expect<{ now: string }>(200, 'GET', `${tenantPath(tenant)}/clock`);
    last = real;
    now = Date.parse(clockNow.now);
    d = await control.expect<DeploymentJson>(200, 'GET', `${tenantPath(tenant)}/deployments/${d.id}`);
    progress.update(d, now);
  }
  return d;
}

// ---------------------------------------------------------------------------------------------------------
// The command

interface DeployOptions extends ControlOptions {
  readonly tenant: string;
  readonly user: string;
  readonly password?: string;
  readonly serial?: string;
  readonly manufacturer?: string;
  readonly model?: string;
  readonly osVersion?: string;
  readonly edition?: string;
  readonly speed: number;
  readonly instant?: boolean;
  readonly json?: boolean;
}

async function deploy(options: DeployOptions): Promise<number> {
  // With --json, stdout carries the JSON alone; the story goes to stderr.
  const say = (s: string) => (options.json ? console.error(s) : console.log(s));
  const password = options.password ?? (options.tenant.toLowerCase() === DEMO.tenantId ? DEMO.userPassword : undefined);
  if (password === undefined) {
    console.error(`tarmac: give the user's --password: it is known only on the demo tenant (${DEMO.tenantId}).`);
    return 2;
  }
  const control = ControlConnection.open(options);
  const device = await createDevice(control, options.tenant, {
    serialNumber: options.serial,
    manufacturer: options.manufacturer,
    model: options.model,
    osVersion: options.osVersion,
    windowsEdition: options.edition,
  });
  say(`Device ${device.serialNumber} (${device.manufacturer} ${device.model}, Windows ${device.windowsEdition} ${device.osVersion}) is at the out-of-box experience: ${bold(OOBE_TITLE)}`);
  say(`${options.user} signs in…`);
  let d = await signIn(control, options.tenant, device.id, options.user, password);
  if (d.path !== 'blocked') {
    say(`Screen: ${bold(d.screen.title)} (deployment ${d.id})`);
    say(dim(`  ${d.pathReason}`));
  }
  if (d.nextTransitionDateTime !== null) {
    if (options.instant) d = await runToEnd(control, options.tenant, d.id);
    else {
      const progress = process.stderr.isTTY ? progressBar() : stageLines();
      // Ctrl+C stops watching, not the deployment: leave the terminal clean and say where it is.
      const interrupted = () => {
        progress.stop();
        console.error(`\nStopped watching; deployment ${d.id} goes on on the server.`);
        process.exit(130);
      };
      process.once('SIGINT', interrupted);
      try {
        d = await follow(control, options.tenant, d, options.speed, progress);
      } finally {
        progress.stop();
        process.off('SIGINT', interrupted);
      }
    }
  }
  if (options.json) console.log(JSON.stringify(d, null, 2));
  else {
    if (d.deviceName) say(`Device ${device.serialNumber} is ${d.deviceName}${d.managedDeviceId ? ` (managed device ${d.managedDeviceId})` : ''}.`);
    for (const line of outcomeLines(d)) say(line);
  }
  return d.status === 'success' ? 0 : 1;
}

function speedNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 1_000_000) throw new InvalidArgumentError('the speed must be a number of virtual seconds per real second, above 0 and at most 1000000.');
  return n;
}

export function registerDeviceCommands(program: Command): void {
  const device = program.command('device').description('simulated devices on a running server, through the control API');
  withControlOptions(
    device
      .command('deploy')
      .description('create a simulated device, sign a user in on it and follow setup to its end (exit 1 if setup fails)')
      .requiredOption('--user <upn>', 'the user who signs in at the out-of-box experience')
      .option('--password <password>', "the user's password (default on the demo tenant: its users' password)")
      .option('--tenant <id>', 'tenant id', DEMO.tenantId)
      .option('--serial <serial>', "serial number (default: drawn from the tenant's seed)")
      .option('--manufacturer <name>', 'manufacturer (default: Microsoft Corporation)')
      .option('--model <name>', 'model (default: Surface Laptop 6)')
      .option('--os-version <version>', `Windows version, 10.0.build.revision (default: ${DEFAULT_OS_VERSION})`)
      .addOption(new Option('--edition <edition>', 'Windows edition (default: Enterprise)').choices(WINDOWS_EDITIONS))
      .option('--speed <n>', 'virtual seconds per real second while following setup', speedNumber, 120)
      .option('--instant', 'run setup to its end at once instead of following it')
      .option('--json', 'print the final deployment as JSON'),
  ).action((options: DeployOptions) => runCommand(() => deploy(options)));
}
