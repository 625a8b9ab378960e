/**
 * Circular 22 rules engine: every result for 100,000 students (15 subjects, both semesters
 * and the year, promotion with summer routes, awards). Students are generated with a seeded
 * PRNG, in chunks so memory stays bounded; only `computeStudentYear` is timed.
 */
import { performance } from 'node:perf_hooks';
import { THPT_SUBJECTS, computeStudentYear, requiredCommentRegularMarks, requiredRegularMarks } from '../src/domain/assessment/index.ts';
import type { CommentResult, Level, StudentYearInput, SubjectInput } from '../src/domain/assessment/index.ts';
import { fullScale, type Figure } from './results.ts';

const STUDENTS = fullScale() ? 100_000 : 20_000;
const CHUNK = 1_000;
const WARM_UP = 2_000;
const SEED = 20252026;

// The 15 subjects: every catalogue subject except the two comment electives (Âm nhạc, Mĩ thuật).
const SUBJECTS = THPT_SUBJECTS.filter((s) => s.code !== 'AN' && s.code !== 'MT');
const CLUSTER_ALLOWED = SUBJECTS.filter((s) => s.topicClusterAllowed).map((s) => s.code);

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generateStudent(rand: () => number): StudentYearInput {
  // The student's usual mark in tenths: most between 5.0 and 9.5, one in twenty weak (2.5–5.0).
  const ability = rand() < 0.05 ? 25 + Math.floor(rand() * 25) : 50 + Math.floor(((rand() + rand()) / 2) * 45);
  const mark = (): number => Math.max(0, Math.min(100, ability + Math.floor(rand() * 31) - 15));
  const failRate = ability < 50 ? 0.05 : 0.004; // per comment assessment
  const pass = (): CommentResult => (rand() < failRate ? 'chua_dat' : 'dat');
  const clusters = new Set<string>();
  while (clusters.size < 3) clusters.add(CLUSTER_ALLOWED[Math.floor(rand() * CLUSTER_ALLOWED.length)] as string);
  const lowSubjects: string[] = [];
  const subjects: SubjectInput[] = SUBJECTS.map((s) => {
    const topicCluster = clusters.has(s.code);
    const exemption = s.code === 'GDTC' && rand() < 0.01 ? { kind: rand() < 0.5 ? ('whole_subject' as const) : ('practical_part' as const) } : null;
    const gap = rand() < 0.002; // a mark not entered yet
    if (s.assessment === 'score') {
      const n = requiredRegularMarks(s.periodsPerYear, topicCluster) ?? 0;
      const sem = (missing: boolean) => ({ regular: Array.from({ length: n }, mark), midterm: missing ? null : mark(), final: mark() });
      if (ability < 50) lowSubjects.push(s.code);
      return { code: s.code, form: 'score', periodsPerYear: s.periodsPerYear, topicCluster, exemption, semesters: { I: sem(false), II: sem(gap) } };
    }
    const n = requiredCommentRegularMarks(topicCluster);
    const sem = () => ({ regular: Array.from({ length: n }, pass), midterm: pass(), final: pass() });
    return { code: s.code, form: 'comment', periodsPerYear: s.periodsPerYear, topicCluster, exemption, semesters: { I: sem(), II: sem() } };
  });
  const conductLevel = (): Level => {
    const x = rand();
    return x < 0.6 ? 'tot' : x < 0.85 ? 'kha' : x < 0.97 ? 'dat' : 'chua_dat';
  };
  const conduct = { I: conductLevel(), II: conductLevel() };
  const absences = rand() < 0.01 ? { excused: 30 + Math.floor(rand() * 30), unexcused: Math.floor(rand() * 10) } : { excused: Math.floor(rand() * 8), unexcused: Math.floor(rand() * 3) };
  const input: StudentYearInput = { subjects, conduct, absences };
  // Weak students sat re-assessment in (some of) their weak subjects; some results not marked yet.
  if (lowSubjects.length > 0 && rand() < 0.8) {
    input.reassessment = { subjects: lowSubjects.slice(0, 4).map((code) => ({ code, result: rand() < 0.05 ? null : 30 + Math.floor(rand() * 50) })) };
  }
  if (conduct.II === 'chua_dat' && rand() < 0.7) input.summerTraining = { conduct: rand() < 0.8 ? 'dat' : 'chua_dat' };
  return input;
}

/** Generates, computes and reports; generation is not timed. */
export async function run(): Promise<Figure[]> {
  const rand = prng(SEED);
  const outcomes = new Map<string, number>();
  const tally = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  let checksum = 0;

  const warmRand = prng(1);
  const warm = Array.from({ length: WARM_UP }, () => generateStudent(warmRand));
  for (const s of warm) checksum += computeStudentYear(s).missing.length;

  let ms = 0;
  let peakHeap = 0;
  for (let done = 0; done < STUDENTS; done += CHUNK) {
    const chunk = Array.from({ length: Math.min(CHUNK, STUDENTS - done) }, () => generateStudent(rand));
    const t0 = performance.now();
    const results = chunk.map(computeStudentYear);
    ms += performance.now() - t0;
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    for (const r of results) {
      tally(r.promotion.status === 'complete' ? r.promotion.outcome.kind : 'incomplete');
      if (r.award.status === 'complete' && r.award.award) tally(`award:${r.award.award}`);
      checksum += r.missing.length + r.subjects.length;
    }
  }
  const perSecond = Math.round(STUDENTS / (ms / 1000));
  const fmt = (n: number) => n.toLocaleString('en-US');
  console.log(`assessment rules engine: ${fmt(STUDENTS)} students × ${SUBJECTS.length} subjects (semester I, II, year, promotion, awards)`);
  console.log(`  ${fmt(perSecond)} students/s · ${fmt(Math.round(ms))} ms total compute · peak heap used ${fmt(Math.round(peakHeap / 1048576))} MB`);
  console.log(`  (${fmt(WARM_UP)}-student warm-up not counted; chunks of ${fmt(CHUNK)}; seed ${SEED}; checksum ${checksum})`);
  console.log(`  outcomes: ${[...outcomes].sort().map(([k, n]) => `${k} ${fmt(n)}`).join(', ')}`);
  const scale = `${fullScale() ? 'full' : 'quick'}: ${fmt(STUDENTS)} students × ${SUBJECTS.length} subjects`;
  return [
    { name: 'computeStudentYear throughput', value: perSecond, unit: 'students/s', scale },
    { name: 'peak heap used', value: Math.round(peakHeap / 1048576), unit: 'MB', scale },
  ];
}
