/**
 * Benchmark results: every bench (`npm run bench`, `bench:load`, `bench:province`) saves its
 * figures as bench/results/<bench>.json with the date and the machine (CPU, cores, RAM, Node,
 * OS, load average at start and end), and the summary table at the top of docs/benchmarks.md
 * (between the bench:summary markers) is regenerated from ALL results files, so one table
 * always shows the latest figure of every bench with the conditions it was measured under.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

/** One measured figure. `scale` says at which size it was measured (e.g. "quick: 10,000 students"). */
export interface Figure {
  /** What was measured, e.g. "computeStudentYear throughput". */
  name: string;
  value: number;
  /** e.g. "students/s", "ms", "MB". */
  unit: string;
  /** The data size / mode it was measured at; "quick" runs say so. */
  scale?: string;
  notes?: string;
}

/** A figure as stored, with the bench it belongs to. */
export interface BenchFigure extends Figure {
  bench: string;
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  ramGb: number;
  node: string;
  os: string;
  loadStart: number[];
  loadEnd: number[];
  /** Free text when something about the conditions needs saying (e.g. load not recorded). */
  note?: string;
}

export interface BenchResults {
  bench: string;
  /** ISO time the bench started. */
  startedAt: string;
  /** ISO time the results were saved. */
  date: string;
  durationS: number;
  machine: MachineInfo;
  figures: BenchFigure[];
}

/** When and under which load a bench started; pass it to saveResults (default: process start). */
export interface BenchStart {
  at: Date;
  load: number[];
}

const processStart: BenchStart = { at: new Date(), load: os.loadavg() };

export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
export const BENCHMARKS_DOC = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
export const SUMMARY_START = '<!-- bench:summary:start -->';
export const SUMMARY_END = '<!-- bench:summary:end -->';

/** Marks the start of a bench (time and load average), for benches run one after another in a process. */
export function benchStart(): BenchStart {
  return { at: new Date(), load: os.loadavg() };
}

const round2 = (xs: number[]) => xs.map((x) => Math.round(x * 100) / 100);

/** The machine the figures were measured on; load average sampled now as the end load. */
export function machineInfo(start: BenchStart = processStart): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    ramGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadStart: round2(start.load),
    loadEnd: round2(os.loadavg()),
  };
}

/**
 * Saves a bench's figures to bench/results/<bench>.json (replacing the previous run) and
 * regenerates the summary table in docs/benchmarks.md. Returns the path written.
 * `bench` is a short file-name-safe name ("assessment", "load", "province").
 */
export function saveResults(bench: string, figures: Figure[], opts: { start?: BenchStart; summary?: boolean } = {}): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(bench)) throw new Error(`saveResults: bench name "${bench}" must be lower-case letters, digits and dashes`);
  for (const f of figures) if (!Number.isFinite(f.value)) throw new Error(`saveResults: figure "${f.name}" of bench ${bench} is not a finite number (${f.value})`);
  const start = opts.start ?? processStart;
  const now = new Date();
  const results: BenchResults = {
    bench,
    startedAt: start.at.toISOString(),
    date: now.toISOString(),
    durationS: Math.round((now.getTime() - start.at.getTime()) / 100) / 10,
    machine: machineInfo(start),
    figures: figures.map((f) => ({ bench, ...f })),
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = `${RESULTS_DIR}${bench}.json`;
  // Write then rename so an interrupted run never leaves a truncated results file.
  writeFileSync(`${path}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
  if (opts.summary !== false) updateSummary();
  return path;
}

/** Every saved results file, sorted by bench name. */
export function loadAllResults(dir = RESULTS_DIR): BenchResults[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return files
    .map((f) => {
      try {
        return JSON.parse(readFileSync(`${dir}${f}`, 'utf8')) as BenchResults;
      } catch (err) {
        throw new Error(`bench results file ${dir}${f} is not valid JSON: ${(err as Error).message}`);
      }
    })
    .sort((a, b) => a.bench.localeCompare(b.bench));
}

/** Formats a figure for the table: thousands separators, fewer decimals as numbers grow. */
export function formatValue(v: number): string {
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

const cell = (s: string | undefined) => (s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The summary table (Markdown) built from the given results. */
export function summaryMarkdown(all: BenchResults[]): string {
  const lines: string[] = [];
  lines.push('## Summary (generated)');
  lines.push('');
  lines.push('Regenerated by `npm run bench` (and by `bench:load` / `bench:province`) from `bench/results/*.json`;');
  lines.push('do not edit by hand. Each bench lists the machine and the load average (1-minute, at start → end)');
  lines.push('it ran under: this is a shared 2-core machine, so figures measured under load are pessimistic.');
  lines.push('');
  const machines = new Map<string, string[]>();
  for (const r of all) {
    const m = r.machine;
    const key = `${m.cpu}, ${m.cores} cores, ${m.ramGb} GB RAM, Node ${m.node}, ${m.os}`;
    machines.set(key, [...(machines.get(key) ?? []), r.bench]);
  }
  if (machines.size === 1) lines.push(`Machine: ${[...machines.keys()][0]}.`);
  else for (const [k, benches] of machines) lines.push(`- Machine for ${benches.join(', ')}: ${k}.`);
  lines.push('');
  lines.push('| Bench | Figure | Value | Unit | Scale | Run (UTC), load avg |');
  lines.push('|---|---|---:|---|---|---|');
  for (const r of all) {
    const load = r.machine.loadStart.length ? `${r.machine.loadStart[0]!.toFixed(1)} → ${r.machine.loadEnd[0]?.toFixed(1) ?? '?'}` : 'load not recorded';
    const when = `${r.date.slice(0, 16).replace('T', ' ')}, ${load}${r.machine.note ? ` (${r.machine.note})` : ''}`;
    r.figures.forEach((f, i) => {
      const name = f.notes ? `${f.name} (${f.notes})` : f.name;
      lines.push(`| ${i === 0 ? r.bench : ''} | ${cell(name)} | ${formatValue(f.value)} | ${cell(f.unit)} | ${cell(f.scale)} | ${i === 0 ? when : ''} |`);
    });
  }
  return lines.join('\n');
}

/**
 * Replaces the text between the summary markers of docs/benchmarks.md with the table built
 * from every results file (inserting the markers after the first heading if missing).
 */
export function updateSummary(doc = BENCHMARKS_DOC, dir = RESULTS_DIR): void {
  const text = readFileSync(doc, 'utf8');
  const block = `${SUMMARY_START}\n${summaryMarkdown(loadAllResults(dir))}\n${SUMMARY_END}`;
  let next: string;
  const s = text.indexOf(SUMMARY_START);
  const e = text.indexOf(SUMMARY_END);
  if (s >= 0 && e > s) next = text.slice(0, s) + block + text.slice(e + SUMMARY_END.length);
  else {
    const firstBreak = text.indexOf('\n## ');
    next = firstBreak >= 0 ? `${text.slice(0, firstBreak + 1)}${block}\n\n${text.slice(firstBreak + 1)}` : `${text}\n${block}\n`;
  }
  // Another bench (or engineer) may append sections concurrently: re-read just before writing
  // would not make this atomic either, so keep the window short and write in one call.
  writeFileSync(doc, next);
}

/**
 * Whether heavy benches run at their full (documented) scale: `npm run bench -- --full` or
 * HOCBA_BENCH_FULL=1. The default is a quick scale that fits a shared machine in minutes;
 * every figure records the scale it was measured at.
 */
export function fullScale(): boolean {
  return process.env.HOCBA_BENCH_FULL === '1';
}
