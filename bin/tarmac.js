#!/usr/bin/env node
// Entry point of the `tarmac` command: runs the compiled CLI (built by `npm install`, see package.json "prepare").
import('../dist/cli/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
    console.error('tarmac: the build is missing; run `npm install` (or `npm run build`) first.');
    process.exit(1);
  }
  throw err;
});
