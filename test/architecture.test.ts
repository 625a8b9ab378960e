/**
 * The import direction of DESIGN.md, enforced: domain ← documents, signing, db ← services ←
 * server, cli, jobs; the domain is pure (no node:*, no packages); signing knows nothing of
 * schools; the web talks to the server over HTTP only (it may import pure domain helpers and
 * the shared API types).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out);
    else if (/\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(p); // tests may use node:test
  }
  return out;
}

interface Import {
  file: string; // relative to src
  spec: string;
  target: string | null; // relative to src for local imports
  typeOnly: boolean;
}

const IMPORT_RE = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

const imports: Import[] = files(SRC).flatMap((file) => {
  const text = readFileSync(file, 'utf8');
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT_RE)) {
    const spec = m[3]!;
    const target = spec.startsWith('.') ? relative(SRC, resolve(dirname(file), spec)) : null;
    out.push({ file: relative(SRC, file), spec, target, typeOnly: Boolean(m[2]) });
  }
  return out;
});

const layer = (path: string) => path.split('/')[0]!;
const violations = (pred: (i: Import) => boolean) => imports.filter(pred).map((i) => `${i.file} → ${i.spec}`);

test('the domain is pure: no node:*, no packages, no other layer', () => {
  assert.deepEqual(violations((i) => layer(i.file) === 'domain' && (i.target === null || layer(i.target) !== 'domain')), []);
});

test('documents and db depend on the domain only (plus packages and node)', () => {
  for (const l of ['documents', 'db']) {
    assert.deepEqual(violations((i) => layer(i.file) === l && i.target !== null && !['domain', l].includes(layer(i.target))), [], l);
  }
});

test('signing imports nothing about schools', () => {
  assert.deepEqual(violations((i) => layer(i.file) === 'signing' && i.target !== null && layer(i.target) !== 'signing'), []);
});

test('services never import the server, the CLI or the web UI (only the shared API types)', () => {
  assert.deepEqual(
    violations((i) => layer(i.file) === 'services' && i.target !== null && (['cli', 'web', 'jobs'].includes(layer(i.target)) || (layer(i.target) === 'server' && !(i.typeOnly && i.target === 'server/api-types.ts')))),
    [],
  );
});

test('the web UI reaches the server over HTTP only', () => {
  assert.deepEqual(
    violations((i) => layer(i.file) === 'web' && i.target !== null && !(layer(i.target) === 'web' || layer(i.target) === 'domain' || (i.typeOnly && i.target === 'server/api-types.ts'))),
    [],
  );
  assert.deepEqual(violations((i) => layer(i.file) === 'web' && (i.spec.startsWith('node:') || ['pg', 'drizzle-orm', '@electric-sql/pglite', 'fastify'].some((p) => i.spec === p || i.spec.startsWith(`${p}/`)))), []);
});

test('nothing below the edge imports the server or the CLI', () => {
  assert.deepEqual(violations((i) => ['domain', 'documents', 'db', 'signing', 'services', 'jobs'].includes(layer(i.file)) && i.target !== null && layer(i.target) === 'cli'), []);
});
