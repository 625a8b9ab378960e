/**
 * `npm run bench [name…]`: runs every bench/*.bench.ts in turn (or only those whose file
 * name contains one of the given names), each exporting `run(): Promise<void>`.
 */
import { readdirSync } from 'node:fs';
import os from 'node:os';
import { pathToFileURL } from 'node:url';

const dir = new URL('.', import.meta.url);
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((name) => f.includes(name)))
  .sort();

if (files.length === 0) {
  console.error(filters.length ? `no benchmark matches: ${filters.join(', ')}` : 'no benchmarks found');
  process.exit(1);
}

console.log(`node ${process.version} · ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}) · ${Math.round(os.totalmem() / 2 ** 30)} GB`);
for (const file of files) {
  console.log(`\n» ${file}`);
  const mod = (await import(pathToFileURL(new URL(file, dir).pathname).href)) as { run?: () => Promise<void> };
  if (typeof mod.run !== 'function') {
    console.error(`${file} does not export run()`);
    process.exitCode = 1;
    continue;
  }
  await mod.run();
}
