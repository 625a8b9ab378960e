/**
 * bench/results.ts: the results file format and the generated summary table of
 * docs/benchmarks.md (markers inserted once, replaced in place, the rest of the file kept).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { formatValue, loadAllResults, SUMMARY_END, SUMMARY_START, summaryMarkdown, updateSummary, type BenchResults } from '../../bench/results.ts';

const dir = mkdtempSync(join(tmpdir(), 'hocba-bench-results-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const machine = { cpu: 'Test CPU', cores: 2, ramGb: 4, node: 'v20.0.0', os: 'Linux', loadStart: [6.5], loadEnd: [7.25] };
const result = (bench: string, figures: BenchResults['figures']): BenchResults => ({ bench, startedAt: '2026-11-29T03:00:00.000Z', date: '2026-11-29T03:01:00.000Z', durationS: 60, machine, figures });

test('the summary is generated from every results file, between the markers, keeping the rest of the document', () => {
  const results = join(dir, 'results') + '/';
  mkdirSync(results);
  writeFileSync(join(results, 'xades.json'), JSON.stringify(result('xades', [{ bench: 'xades', name: 'XAdES sign', value: 30.46, unit: 'signatures/s', scale: '10 records' }])));
  writeFileSync(join(results, 'load.json'), JSON.stringify(result('load', [{ bench: 'load', name: 'all requests', value: 112_345.6, unit: 'req/s', scale: '300 teachers | 60 s', notes: 'PostgreSQL' }])));
  const doc = join(dir, 'benchmarks.md');
  writeFileSync(doc, '# Benchmarks\n\nIntro.\n\n## Assessment\nDetails kept.\n\n## Province\nAppended by someone else.\n');

  updateSummary(doc, results);
  const first = readFileSync(doc, 'utf8');
  assert.equal(first.split(SUMMARY_START).length, 2, 'markers inserted once');
  assert.ok(first.indexOf(SUMMARY_END) < first.indexOf('## Assessment'), 'the summary is at the top, before the detailed sections');
  assert.match(first, /\| load \| all requests \(PostgreSQL\) \| 112,346 \| req\/s \| 300 teachers \\\| 60 s \| 2026-11-29 03:01, 6\.5 → 7\.3 \|/);
  assert.match(first, /\| xades \| XAdES sign \| 30\.5 \| signatures\/s \| 10 records \|/);
  assert.match(first, /Machine: Test CPU, 2 cores, 4 GB RAM, Node v20\.0\.0, Linux\./);
  assert.ok(first.indexOf('| load |') < first.indexOf('| xades |'), 'sorted by bench');
  assert.match(first, /## Province\nAppended by someone else\.\n$/);

  // A new run replaces the table in place; nothing else moves.
  writeFileSync(join(results, 'xades.json'), JSON.stringify(result('xades', [{ bench: 'xades', name: 'XAdES sign', value: 41, unit: 'signatures/s' }])));
  updateSummary(doc, results);
  const second = readFileSync(doc, 'utf8');
  assert.equal(second.split(SUMMARY_START).length, 2);
  assert.match(second, /\| xades \| XAdES sign \| 41 \| signatures\/s \|/);
  assert.doesNotMatch(second, /30\.5/);
  assert.equal(second.slice(second.indexOf(SUMMARY_END)), first.slice(first.indexOf(SUMMARY_END)));
});

test('a broken results file is reported by name, not skipped silently', () => {
  const results = join(dir, 'broken') + '/';
  mkdirSync(results);
  writeFileSync(join(results, 'bad.json'), '{ not json');
  assert.throws(() => loadAllResults(results), /bad\.json is not valid JSON/);
});

test('numbers are formatted with fewer decimals as they grow', () => {
  assert.deepEqual([0.01234, 2.456, 36.04, 1357.4, 44_000].map(formatValue), ['0.012', '2.46', '36', '1,357', '44,000']);
  assert.match(summaryMarkdown([]), /\| Bench \| Figure \| Value \|/);
});
