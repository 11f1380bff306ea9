// Admin center bundle size (issue 7: the production bundle's main chunk at most 500 kB gzipped), from the
// build in dist/web: the main chunk (the entry index.html loads), what the first page load fetches (the
// entry and the chunks it preloads), and every chunk together, each raw and gzipped with zlib.
import { gzipSync } from 'node:zlib';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { int, line, detail } from './lib/report.js';

const TARGET_KB = 500;
const web = fileURLToPath(new URL('../dist/web/', import.meta.url));
const indexFile = join(web, 'index.html');
if (!existsSync(indexFile)) {
  console.error('web-bundle: dist/web/index.html is missing; run `npm run build` first.');
  process.exit(1);
}

const html = readFileSync(indexFile, 'utf8');
const entry = /<script[^>]+type="module"[^>]+src="\.?\/?(assets\/[^"]+\.js)"/.exec(html)?.[1];
if (!entry) {
  console.error('web-bundle: no module script in dist/web/index.html');
  process.exit(1);
}
const preloaded = [...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\.?\/?(assets\/[^"]+)"/g)].map((m) => m[1]);
const styles = [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="\.?\/?(assets\/[^"]+)"/g)].map((m) => m[1]);

const size = (file) => {
  const bytes = readFileSync(join(web, file));
  return { raw: bytes.length, gzip: gzipSync(bytes).length };
};
const sum = (files) => files.map(size).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }), { raw: 0, gzip: 0 });
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;

const chunks = readdirSync(join(web, 'assets')).filter((f) => /\.(js|css)$/.test(f)).map((f) => `assets/${f}`);
const main = size(entry);
const firstLoad = sum([entry, ...preloaded, ...styles]);
const all = sum(chunks);

line(
  `main chunk ${basename(entry)}`,
  [`${kb(main.gzip)} gzipped (${kb(main.raw)} raw)`, `first load ${kb(firstLoad.gzip)} gzipped in ${1 + preloaded.length + styles.length} files`, `all ${int(chunks.length)} chunks ${kb(all.gzip)} gzipped (${kb(all.raw)} raw)`, `target <= ${TARGET_KB} kB`],
  main.gzip <= TARGET_KB * 1024,
);
const largest = chunks.map((f) => ({ f, ...size(f) })).sort((a, b) => b.gzip - a.gzip).slice(0, 5);
detail(`largest chunks: ${largest.map((c) => `${basename(c.f)} ${kb(c.gzip)}`).join(', ')}`);
