// `tarmac explain` and `tarmac preflight`: the server's answers to "what will happen, and why?" and "what is
// wrong with my setup?", printed for a person (grouped, coloured, the worst first) or as JSON with --json.
// `tarmac preflight` exits 1 when the tenant has errors, so it can gate a pipeline; 2 when the server cannot
// be used.
import type { Command } from 'commander';
import { DEMO } from '../control/demo-tenant.js';
import { ControlConnection, runCommand, withControlOptions, type ControlOptions } from './control-connection.js';

const tty = process.stdout.isTTY;
const paint = (code: number) => (s: string) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
const red = paint(31);
const yellow = paint(33);
const green = paint(32);
const dim = paint(2);
const bold = paint(1);

const tenantPath = (tenant: string) => `/tenants/${encodeURIComponent(tenant)}`;

interface ExplainOptions extends ControlOptions {
  readonly tenant: string;
  readonly user?: string;
  readonly device?: string;
  readonly json?: boolean;
}

const MARK: Readonly<Record<string, string>> = { pass: green('✓'), fail: red('✗'), warning: yellow('!'), notChecked: dim('·'), notApplicable: dim('-') };
const ITEM_MARK: Readonly<Record<string, string>> = { installed: green('installed'), failed: red('failed'), skipped: yellow('skipped'), inProgress: yellow('hangs'), notStarted: dim('not reached') };

/** The prediction and its reasons, for a person. */
export function explainLines(r: any): string[] {
  const out: string[] = [];
  const p = r.prediction;
  const who = r.user ? `${r.user.userPrincipalName}` : 'nobody yet';
  const what = r.device ? `device ${r.device.serialNumber} (${r.device.manufacturer} ${r.device.model}, Windows ${r.device.windowsEdition} ${r.device.osVersion})` : 'a new device';
  out.push(bold(`If ${who} signs in on ${what}:`));
  const verdict = p.status === 'success' ? green('setup succeeds') : p.status === 'failed' ? red(p.path === 'blocked' ? 'setup is blocked' : 'setup fails') : yellow(p.path === 'dependsOnUser' ? 'it depends on the user' : 'setup does not finish');
  out.push(`  ${verdict}${p.deploymentTimeSeconds != null ? ` after ${Math.round(p.deploymentTimeSeconds / 60)} min` : ''} — path: ${bold(p.intendedPath ?? p.path)}`);
  if (p.pathReason) out.push(`  ${dim(p.pathReason)}`);
  if (p.error) out.push(`  ${red(`Error ${p.error.code} (${p.error.reason}):`)} ${p.error.message}`);
  out.push('', bold('Checks'));
  for (const c of r.checks) out.push(`  ${MARK[c.result] ?? c.result} ${c.title}${c.errorCode && c.result === 'fail' ? red(` [${c.errorCode}]`) : ''}\n      ${dim(`${c.setting}: ${typeof c.value === 'object' ? JSON.stringify(c.value) : String(c.value)}`)} — ${c.detail}`);
  const candidates = (r.policies ?? []).filter((x: any) => x.targetsUser || x.chosen);
  if (candidates.length > 0) {
    out.push('', bold('Device preparation policies for this user'));
    for (const c of candidates) out.push(`  ${c.chosen ? green('→') : ' '} ${c.name} (priority ${c.priority ?? '-'}) — ${c.why}`);
  }
  if (p.enrollmentTimeGrouping) out.push('', `${bold('Device group')}: ${p.enrollmentTimeGrouping.status === 'added' ? green('the device joins it at enrollment') : red(`enrollment-time grouping fails: ${p.enrollmentTimeGrouping.reason}`)}`);
  if (p.enrollmentStatusPage) out.push('', `${bold('Enrollment Status Page')}: ${p.enrollmentStatusPage.displayName} (${p.enrollmentStatusPage.source}${p.enrollmentStatusPage.showInstallationProgress ? `, ${p.enrollmentStatusPage.timeoutMinutes} min` : ', progress not shown'})`);
  const items = [...(p.apps ?? []).map((a: any) => ({ ...a, kind: 'app' })), ...(p.scripts ?? []).map((s: any) => ({ ...s, kind: 'script' }))];
  if (items.length > 0) {
    out.push('', bold('Apps and scripts'));
    for (const i of items) {
      const when = !i.tracked ? 'after setup' : i.status === 'skipped' ? 'selected' : 'tracked';
      out.push(`  ${(ITEM_MARK[i.status] ?? i.status).padEnd(tty ? 20 : 11)} ${i.kind.padEnd(6)} ${i.displayName} ${dim(`(${when}${i.durationSeconds != null && i.status !== 'skipped' ? `, ${i.durationSeconds} s` : ''})`)}${i.reason ? `\n      ${dim(i.reason)}` : ''}`);
    }
  }
  if (r.lastDeployment) {
    const l = r.lastDeployment;
    out.push('', `${bold('Last deployment')} ${l.deploymentId}: ${l.status}; ${l.matchesPrediction ? green('matches the prediction') : yellow(`differs: ${l.differences.map((d: any) => d.field).join(', ')}`)}`);
  }
  return out;
}

async function explainCommand(o: ExplainOptions): Promise<number> {
  if (!o.user && !o.device) {
    console.error('tarmac: give --user and/or --device');
    return 2;
  }
  const control = ControlConnection.open(o);
  const query = new URLSearchParams({ ...(o.user ? { user: o.user } : {}), ...(o.device ? { device: o.device } : {}) });
  const r = await control.expect(200, 'GET', `${tenantPath(o.tenant)}/explain?${query}`);
  if (o.json) console.log(JSON.stringify(r, null, 2));
  else console.log(explainLines(r).join('\n'));
  return 0;
}

interface PreflightOptions extends ControlOptions {
  readonly tenant: string;
  readonly json?: boolean;
}

const SEVERITY_ORDER = ['error', 'warning', 'info'];
const SEVERITY_LABEL: Readonly<Record<string, string>> = { error: red('ERROR'), warning: yellow('WARNING'), info: dim('INFO') };

/** Findings grouped by severity, worst first, each with its object, what is wrong, the fix and the source. */
export function preflightLines(r: any): string[] {
  const out: string[] = [];
  const s = r.summary ?? {};
  const findings = [...(r.findings ?? [])].sort((a: any, b: any) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
  out.push(bold(`Preflight: ${s.errors ?? 0} error(s), ${s.warnings ?? 0} warning(s), ${s.info ?? 0} note(s)`));
  for (const severity of SEVERITY_ORDER) {
    const group = findings.filter((f: any) => f.severity === severity);
    if (group.length === 0) continue;
    out.push('', SEVERITY_LABEL[severity] ?? severity);
    for (const f of group) {
      const object = f.object ? `${f.object.type} '${f.object.displayName ?? f.object.id}'` : '';
      out.push(`  ${bold(f.id)}${object ? ` — ${object}` : ''}`, `    ${f.message}`, `    ${green('Fix:')} ${f.fix}`, `    ${dim(`Source: ${f.source}`)}`);
    }
  }
  if (findings.length === 0) out.push('', green('Nothing to fix: the tenant meets every documented requirement Tarmac checks.'));
  return out;
}

async function preflightCommand(o: PreflightOptions): Promise<number> {
  const control = ControlConnection.open(o);
  const r = await control.expect(200, 'GET', `${tenantPath(o.tenant)}/preflight`);
  if (o.json) console.log(JSON.stringify(r, null, 2));
  else console.log(preflightLines(r).join('\n'));
  return (r.summary?.errors ?? 0) > 0 ? 1 : 0;
}

export function registerExplainCommands(program: Command): void {
  withControlOptions(
    program
      .command('explain')
      .description('what setup will do for a user and a device, and why (the engine run ahead, every check, every item)')
      .option('--user <upn or id>', 'the user who would sign in')
      .option('--device <serial or id>', 'the simulated device (default with --user: a new device)')
      .option('--tenant <id>', 'tenant id', DEMO.tenantId)
      .option('--json', 'print the answer as JSON'),
  ).action((options: ExplainOptions) => runCommand(() => explainCommand(options)));
  withControlOptions(
    program
      .command('preflight')
      .description("check the tenant against the documented requirements and known issues (exit 1 on errors)")
      .option('--tenant <id>', 'tenant id', DEMO.tenantId)
      .option('--json', 'print the findings as JSON'),
  ).action((options: PreflightOptions) => runCommand(() => preflightCommand(options)));
}
