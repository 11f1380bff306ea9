// Options shared by bench files (quick mode, sizes) and the formatting of their result lines.

/** `--quick` or TARMAC_BENCH_QUICK=1: small counts and short runs, to check the benches work. */
export const QUICK = process.argv.includes('--quick') || /^(1|true|yes)$/i.test(process.env.TARMAC_BENCH_QUICK ?? '');

/** A positive integer from the environment, or the default for the current mode. */
export function envInt(name, full, quick) {
  const raw = process.env[name];
  if (raw !== undefined && raw !== '') {
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got '${raw}'`);
    return n;
  }
  return QUICK ? quick : full;
}

const nf0 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const nf2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const int = (n) => nf0.format(n);
export const fixed2 = (n) => nf2.format(n);
export const seconds = (s) => `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`;
export const ms = (m) => `${Math.round(m)} ms`;
export const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Prints one result line: `label: figure  | baseline  | ... ` with a pass/miss mark on the target. */
export function line(label, parts, met) {
  const mark = met === undefined ? '' : met ? '  [ok]' : '  [MISSED]';
  console.log(`${label}: ${parts.join('  | ')}${mark}`);
}

/** An indented detail line under a result. */
export const detail = (text) => console.log(`    ${text}`);
