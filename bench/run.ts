/**
 * `npm run bench [-- --full] [name…]`: runs every bench/*.bench.ts in turn (or only those whose
 * file name contains one of the given names). Each exports `run(): Promise<Figure[]>`: it prints
 * its own details and returns its headline figures, saved here to bench/results/<bench>.json
 * (date, machine, load average at start and end); then the summary table at the top of
 * docs/benchmarks.md is regenerated from every results file (bench:load and bench:province
 * included). `--full` (or HOCBA_BENCH_FULL=1) runs heavy benches at their full scale instead of
 * the quick default. `--summary` only regenerates the table from the saved results.
 */
import { readdirSync } from 'node:fs';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { benchStart, formatValue, saveResults, updateSummary, type Figure } from './results.ts';

const args = process.argv.slice(2);
if (args.includes('--help')) {
  console.log('usage: npm run bench -- [--full] [--summary] [name…]\n  --full     heavy benches at full scale (HOCBA_BENCH_FULL=1)\n  --summary  only regenerate the summary table in docs/benchmarks.md from bench/results/*.json\n  name…      only benches whose file name contains one of the names');
  process.exit(0);
}
if (args.includes('--full')) process.env.HOCBA_BENCH_FULL = '1';
if (args.includes('--summary')) {
  updateSummary();
  console.log('docs/benchmarks.md summary regenerated from bench/results/');
  process.exit(0);
}
const filters = args.filter((a) => !a.startsWith('--'));
const dir = new URL('.', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((name) => f.includes(name)))
  .sort();

if (files.length === 0) {
  console.error(filters.length ? `no benchmark matches: ${filters.join(', ')}` : 'no benchmarks found');
  process.exit(1);
}

const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`node ${process.version} · ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}) · ${Math.round(os.totalmem() / 2 ** 30)} GB · load average ${load()} · ${process.env.HOCBA_BENCH_FULL === '1' ? 'FULL' : 'quick'} scale`);
const saved: Array<{ bench: string; figures: Figure[] }> = [];
for (const file of files) {
  const bench = file.replace(/\.bench\.ts$/, '');
  console.log(`\n» ${file}`);
  const mod = (await import(pathToFileURL(new URL(file, dir).pathname).href)) as { run?: () => Promise<Figure[] | void> };
  if (typeof mod.run !== 'function') {
    console.error(`${file} does not export run()`);
    process.exitCode = 1;
    continue;
  }
  const start = benchStart();
  try {
    const figures = await mod.run();
    if (!Array.isArray(figures) || figures.length === 0) throw new Error(`${file}: run() returned no figures`);
    const path = saveResults(bench, figures, { start, summary: false });
    saved.push({ bench, figures });
    console.log(`  → ${path.slice(path.indexOf('bench/results/'))} (${((Date.now() - start.at.getTime()) / 1000).toFixed(0)} s, load ${start.load[0]!.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)})`);
  } catch (err) {
    // One failing bench must not hide the others' figures; its previous results file stays.
    console.error(`  ✗ ${file} failed: ${(err as Error).stack ?? String(err)}`);
    process.exitCode = 1;
  }
}
if (saved.length) {
  updateSummary();
  console.log(`\nsummary (docs/benchmarks.md regenerated from bench/results/):`);
  for (const { bench, figures } of saved) for (const f of figures) console.log(`  ${bench.padEnd(15)} ${f.name.padEnd(52)} ${formatValue(f.value).padStart(10)} ${f.unit}${f.scale ? `  [${f.scale}]` : ''}`);
}
