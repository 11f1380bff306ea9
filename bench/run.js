// `npm run bench`: runs every bench file in bench/ (each in its own process, one after the other) and
// lets each print its figures beside a baseline measured in the same run.
//   npm run bench                      every file, the sizes
//   npm run bench -- foundation        one file (name without .js); several names are allowed
//   npm run bench -- foundation cold   other words are passed to the files (foundation: list, import, cold, memory)
//   npm run bench -- --quick           small sizes, to check that the benches work (also TARMAC_BENCH_QUICK=1)
// Benches import the compiled server from dist/: run `npm run build` after changing src/.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
/** A whole bench file is stopped after this long (the 100,000-user import is the slowest part). */
const FILE_TIMEOUT_MS = Number(process.env.BENCH_FILE_TIMEOUT_MS ?? 20 * 60_000);

const files = readdirSync(here)
  .filter((f) => /\.(m?js)$/.test(f) && f !== 'run.js')
  .sort();
const names = new Map(files.map((f) => [f.replace(/\.m?js$/, ''), f]));
const args = process.argv.slice(2);
const chosen = args.filter((a) => names.has(a));
const passed = args.filter((a) => !names.has(a));
const toRun = chosen.length > 0 ? chosen.map((n) => names.get(n)) : files;

if (!existsSync(join(root, 'dist', 'server', 'start.js'))) {
  console.error('bench: dist/ is missing; run `npm run build` first.');
  process.exit(1);
}
const stale = staleBuild();
if (stale) console.warn(`bench: warning: ${stale} is newer than its build in dist/; run \`npm run build\` for current figures.\n`);

const quick = passed.includes('--quick') || /^(1|true|yes)$/i.test(process.env.TARMAC_BENCH_QUICK ?? '');
const cpu = cpus();
console.log(
  `Tarmac benchmarks: node ${process.version}, ${cpu.length} x ${cpu[0]?.model?.trim() ?? 'cpu'}, load average ${loadavg()[0].toFixed(2)}${quick ? ', QUICK mode (small sizes)' : ''}`,
);
console.log('Figures are only comparable with the baseline printed beside them in the same run.\n');

let failed = 0;
let interrupted = false;
for (const file of toRun) {
  if (interrupted) break;
  console.log(`== ${file.replace(/\.m?js$/, '')}`);
  const started = Date.now();
  const code = await runFile(file);
  const took = ((Date.now() - started) / 1000).toFixed(0);
  if (code !== 0) {
    failed++;
    console.log(`!! ${file} failed (exit ${code}) after ${took} s\n`);
  } else {
    console.log(`   (${took} s, load average now ${loadavg()[0].toFixed(2)})\n`);
  }
}
process.exit(interrupted ? 130 : failed ? 1 : 0);

function runFile(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(here, file), ...passed], { cwd: root, stdio: 'inherit' });
    const timer = setTimeout(() => {
      console.log(`!! ${file} took longer than ${FILE_TIMEOUT_MS / 1000} s; stopping it`);
      child.kill('SIGTERM'); // bench files stop their own servers and remove their folders on SIGTERM
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }, FILE_TIMEOUT_MS);
    const forward = (signal) => {
      interrupted = true; // stop after this file; it stops its own servers and removes its folders
      child.kill(signal);
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

/** The first source file newer than the compiled file it builds, if any. */
function staleBuild() {
  const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  for (const src of walk(join(root, 'src')).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))) {
    const out = join(root, 'dist', relative(join(root, 'src'), src)).replace(/\.ts$/, '.js');
    if (!existsSync(out) || statSync(out).mtimeMs < statSync(src).mtimeMs) return relative(root, src);
  }
  return undefined;
}
