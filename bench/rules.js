// Membership rule evaluation speed (issue "rule language", performance): the compiled JS predicate of a
// three-clause device rule, evaluations per second on one core, beside a plain tree-walking interpreter of
// the same rule measured in the same run (interleaved slices, so a noisy neighbour slows both alike).
// A detail line shows whole-tenant evaluation of the same rule in SQLite for scale.
// Run: npm run build && node bench/rules.js [--quick]
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { checkRule, compileRuleJs, compileRuleSql, evaluateRule, subjectFromGraph } from '../dist/rules/index.js';
import { QUICK, detail, envInt, fixed2, int, line } from './lib/report.js';

const RULE =
  '(device.deviceOSType -eq "Windows") -and (device.deviceModel -startsWith "Surface") -and ' +
  '(device.devicePhysicalIds -any (_ -startsWith "[ZTDId]"))';
const TARGET = 5_000_000;
const SLICE_MS = envInt('BENCH_RULES_SLICE_MS', 400, 100);
const ROUNDS = envInt('BENCH_RULES_ROUNDS', 5, 2);
const TENANT_DEVICES = envInt('BENCH_RULES_DEVICES', 10_000, 1_000);

/** Stored Graph devices: a realistic mix of Autopilot Surfaces, other Windows PCs, phones and Macs. */
function graphDevices(count) {
  const models = ['Surface Laptop 5', 'Surface Pro 9', 'Latitude 7440', 'ThinkPad X1 Carbon', 'iPhone 15', 'MacBookPro18,3'];
  const systems = ['Windows', 'Windows', 'Windows', 'Windows', 'iOS', 'MacMDM'];
  return Array.from({ length: count }, (_, i) => {
    const kind = i % models.length;
    const autopilot = i % 3 !== 0;
    return {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      accountEnabled: true,
      deviceId: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      displayName: `DEVICE-${i}`,
      operatingSystem: i % 7 === 0 ? systems[kind].toUpperCase() : systems[kind],
      operatingSystemVersion: '10.0.22631.3235',
      manufacturer: 'Microsoft Corporation',
      model: models[kind],
      trustType: 'AzureAd',
      physicalIds: autopilot
        ? [`[USER-GID]:${i}`, `[GID]:g${i}`, `[ZTDId]:z${i}`, '[OrderID]:Sales']
        : [`[USER-GID]:${i}`, `[GID]:g${i}`],
      systemLabels: [],
      extensionAttributes: {},
    };
  });
}

/** Evaluations per second of `evaluate` over `subjects`, for about `ms` milliseconds. */
function measure(evaluate, subjects, ms) {
  const n = subjects.length;
  let evaluations = 0;
  let members = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(ms) * 1_000_000n;
  let now = started;
  while (now < deadline) {
    for (let i = 0; i < n; i++) if (evaluate(subjects[i])) members++;
    evaluations += n;
    now = process.hrtime.bigint();
  }
  return { evaluations, seconds: Number(now - started) / 1e9, members };
}

export default async function benchRules() {
  const rule = checkRule(RULE, { kind: 'device' });
  const stored = graphDevices(1024);
  const subjects = stored.map((d) => subjectFromGraph('device', d));
  const compiled = compileRuleJs(rule);
  const interpret = (subject) => evaluateRule(rule, subject);

  // The two must agree before their speed means anything.
  const disagreements = subjects.filter((s) => compiled(s) !== interpret(s)).length;
  if (disagreements) throw new Error(`compiled predicate and interpreter disagree on ${disagreements} devices`);

  measure(compiled, subjects, 200); // warm-up (JIT)
  measure(interpret, subjects, 200);
  const totals = { compiled: { evaluations: 0, seconds: 0 }, interpreter: { evaluations: 0, seconds: 0 } };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, evaluate] of [
      ['compiled', compiled],
      ['interpreter', interpret],
    ]) {
      const r = measure(evaluate, subjects, SLICE_MS);
      totals[name].evaluations += r.evaluations;
      totals[name].seconds += r.seconds;
    }
  }
  const rate = (t) => t.evaluations / t.seconds;
  const fast = rate(totals.compiled);
  const slow = rate(totals.interpreter);
  const millions = (x) => `${(x / 1e6).toFixed(1)} M evals/s`;
  line('rules evaluator', [millions(fast), `tree-walking interpreter: ${millions(slow)}`, `ratio ${fixed2(fast / slow)} (target >= 5 M evals/s)`], fast >= TARGET);
  detail(`rule: ${RULE}`);
  detail(`${int(subjects.length)} devices (${subjects.filter(compiled).length} members), one core, ${ROUNDS} interleaved slices of ${SLICE_MS} ms each${QUICK ? ' (quick mode)' : ''}`);

  // Whole-tenant evaluation of the same rule in SQLite, beside the JS predicate over the same devices.
  const handle = new Database(':memory:');
  const db = new Kysely({ dialect: new SqliteDialect({ database: handle }) });
  try {
    handle.exec('CREATE TABLE devices (tenant_id TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (tenant_id, id))');
    const tenant = graphDevices(TENANT_DEVICES);
    const insert = handle.prepare('INSERT INTO devices (tenant_id, id, data) VALUES (?, ?, ?)');
    handle.transaction(() => {
      for (const { id, ...data } of tenant) insert.run('t', id, JSON.stringify(data));
    })();
    const where = compileRuleSql(rule, 'sqlite').compile(db);
    const query = handle.prepare(`SELECT id FROM devices WHERE tenant_id = ? AND (${where.sql})`);
    query.all('t', ...where.parameters); // warm-up
    let started = performance.now();
    const selected = query.all('t', ...where.parameters).length;
    const sqlMs = performance.now() - started;
    const readAll = handle.prepare('SELECT id, data FROM devices WHERE tenant_id = ?');
    started = performance.now();
    const inJs = readAll.all('t').filter((row) => compiled(subjectFromGraph('device', { id: row.id, ...JSON.parse(row.data) }))).length;
    const jsMs = performance.now() - started;
    if (inJs !== selected) throw new Error(`SQLite selected ${selected} devices, the JS predicate ${inJs}`);
    detail(
      `whole tenant (${int(TENANT_DEVICES)} devices, ${int(selected)} members): SQLite ${fixed2(sqlMs)} ms; reading every row and filtering in JS ${fixed2(jsMs)} ms`,
    );
  } finally {
    await db.destroy();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchRules();
