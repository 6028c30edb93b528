#!/usr/bin/env node
'use strict';
/**
 * `node tools/nx-wheels/build.js`: compiles src/ to dist/ (JS + .d.ts) with
 * `tsc -p tsconfig.build.json`, after removing dist/ (no file of a deleted source survives), then
 * writes dist/.build-stamp.json, the stamp loader.js compares with the sources on disk. The sources
 * are stamped before tsc runs and checked again after: an edit during the build fails it (exit 1)
 * rather than stamping output that does not match. Run by `nx run nx-wheels:build` and by
 * tools/ci/npm-ci.mjs after `npm ci`.
 */
const { spawnSync } = require('node:child_process');
const { rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { computeStamp, STAMP } = require('./loader');

function main() {
  const before = computeStamp();
  rmSync(join(__dirname, 'dist'), { recursive: true, force: true });
  const tsc = require.resolve('typescript/bin/tsc', { paths: [__dirname] });
  const r = spawnSync(process.execPath, [tsc, '-p', join(__dirname, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`nx-wheels build: tsc -p tools/nx-wheels/tsconfig.build.json failed (${r.error ? r.error.message : `exit ${r.status}`}); see its messages above`);
    return 1;
  }
  const after = computeStamp();
  if (JSON.stringify(after) !== JSON.stringify(before)) {
    console.error('nx-wheels build: sources changed while tsc ran; run the build again');
    return 1;
  }
  writeFileSync(STAMP, `${JSON.stringify(before)}\n`);
  console.log(`nx-wheels build: ${Object.keys(before.files).length} source files compiled to dist/`);
  return 0;
}

process.exitCode = main();
