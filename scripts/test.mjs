#!/usr/bin/env node
// `npm test`: type-check first, build the web UI if its sources changed, then run every
// *.test.ts under src/ and test/ with node:test (Node 20 does not expand globs itself).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts') || name.endsWith('.test.tsx')) out.push(relative(root, p));
  }
  return out;
}

const filter = process.argv.slice(2);
if (!process.env.HOCBA_SKIP_TYPECHECK) {
  console.log('» type check (tsc --noEmit)');
  run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit']);
}
console.log('» web UI build (if stale)');
run(process.execPath, ['--import', 'tsx', 'src/server/web-build.ts']);

let files = [...walk(join(root, 'src')), ...walk(join(root, 'test'))].sort();
if (filter.length) files = files.filter((f) => filter.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
console.log(`» node --test (${files.length} files${process.env.DATABASE_URL ? ', PGlite + PostgreSQL' : ', PGlite'})`);
run(process.execPath, [
  '--import', 'tsx',
  '--test',
  '--test-concurrency=' + (process.env.TEST_CONCURRENCY ?? '2'),
  '--test-reporter=spec',
  ...files,
], { env: { ...process.env, NODE_ENV: 'test' } });
