/**
 * The record's life over HTTP for every school of the bench province, one step at a time
 * across all schools (so each step's rate is measured on its own): the homeroom teachers
 * freeze their classes, then the subject teachers, homeroom teachers, principals and clerks
 * each read their "to sign" list, prepare batches and sign them with their server-held demo
 * key (account password as PIN) in the browser's request sizes (200 signatures, 20 seals per
 * request), every request going to the next instance. Schools work at once (`concurrency` of
 * them in flight), the people of one school in turn — or, with `teachersAtOnce`, at once too.
 */
import type { Database } from '../../src/db/client.ts';
import type { GeneratedSchool } from './generate.ts';
import { HttpError, pool, Session, type Instances, type Stats } from './http.ts';

// The web UI's request sizes (src/web/signing/batch-panel.tsx).
const SIGN_PER_REQUEST = 200;
const SEAL_PER_REQUEST = 20;

export type Step = 'subject' | 'homeroom' | 'principal' | 'seal';
export const STEPS: Step[] = ['subject', 'homeroom', 'principal', 'seal'];

interface People {
  school: GeneratedSchool;
  /** Homeroom teacher username per class id, and the class names. */
  classes: Array<{ id: string; name: string; homeroom: string }>;
  subjectTeachers: string[];
  principal: string;
  clerk: string;
}

export interface PhaseResult {
  name: string;
  ms: number;
  /** Records that reached the step's state (freeze: frozen). */
  records: number;
  /** Signatures made (subject step: one per subject row). */
  signatures: number;
  requests: number;
  /** CPU seconds the instances used during the phase (NaN when unknown). */
  serverCpu: number;
}

export interface FlowOptions {
  database: Database;
  schools: GeneratedSchool[];
  instances: Instances;
  stats: Stats;
  password: string;
  /** null: every record; n: the first n frozen records of each school. */
  perSchool: number | null;
  concurrency: number;
  /** Let a school's signers work at the same time (default: schools at once, people of a school in turn). */
  teachersAtOnce: boolean;
  serverCpu: () => Promise<number>;
  log: (m: string) => void;
}

/** Who does what in each school, read from the database the demo loader wrote. */
async function loadPeople(database: Database, schools: GeneratedSchool[]): Promise<People[]> {
  const out: People[] = [];
  for (const school of schools) {
    const grants = await database.query<{ username: string; role: string }>(
      `select distinct u.username, g.role from role_grants g join users u on u.id = g.user_id where g.school_id = $1 and g.role in ('subject_teacher','principal','clerk')`,
      [school.schoolId],
    );
    const classes = await database.query<{ id: string; name: string; homeroom: string }>(
      `select c.id, c.name, u.username as homeroom from classes c join homeroom_assignments h on h.class_id = c.id join staff s on s.id = h.staff_id join users u on u.id = s.user_id where c.school_id = $1 order by c.grade, c.name`,
      [school.schoolId],
    );
    const teaching = await database.query<{ username: string }>(
      `select distinct u.username from class_subjects cs join staff s on s.id = cs.teacher_staff_id join users u on u.id = s.user_id where cs.school_id = $1 order by 1`,
      [school.schoolId],
    );
    const one = (role: string) => {
      const g = grants.find((x) => x.role === role);
      if (!g) throw new Error(`school ${school.code}: nobody has the role ${role}`);
      return g.username;
    };
    out.push({ school, classes, subjectTeachers: teaching.map((t) => t.username), principal: one('principal'), clerk: one('clerk') });
  }
  return out;
}

interface ToSignRow {
  classId: string;
  step: Step;
  ready: number;
}
interface Progress {
  total: number;
  pending: number;
  signed: number;
  failed: number;
  refused: number;
}
interface SignResult {
  results: Array<{ itemId: string; status: 'signed' | 'failed' | 'skipped'; error: { code: string; message: string } | null }>;
  progress: Progress;
}

/** Runs freeze and the four signing steps; returns one result per phase. */
export async function runFlow(opts: FlowOptions): Promise<{ phases: PhaseResult[]; frozen: number; blocked: number; selected: number; problems: string[] }> {
  const people = await loadPeople(opts.database, opts.schools);
  const sessions = new Map<string, Session>();
  const sessionOf = async (username: string): Promise<Session> => {
    let s = sessions.get(username);
    if (!s) {
      s = new Session(username, opts.instances, opts.stats);
      await s.login(opts.password);
      sessions.set(username, s);
    }
    return s;
  };
  const phases: PhaseResult[] = [];
  const problems: string[] = [];
  const phase = async (name: string, body: () => Promise<{ records: number; signatures: number }>) => {
    const requests0 = [...opts.stats.ms.values()].reduce((n, v) => n + v.length, 0);
    const cpu0 = await opts.serverCpu();
    const t0 = performance.now();
    const r = await body();
    const ms = performance.now() - t0;
    const requests = [...opts.stats.ms.values()].reduce((n, v) => n + v.length, 0) - requests0;
    const p = { name, ms, ...r, requests, serverCpu: (await opts.serverCpu()) - cpu0 };
    phases.push(p);
    opts.log(`  ${name.padEnd(10)} ${(ms / 1000).toFixed(1).padStart(7)} s  ${String(r.records).padStart(6)} records  ${String(r.signatures).padStart(7)} signatures  ${requests} requests`);
  };

  // Sign-in first: argon2 checks are not part of any step's rate.
  const everyone = [...new Set(people.flatMap((p) => [...p.classes.map((c) => c.homeroom), ...p.subjectTeachers, p.principal, p.clerk]))];
  await phase('sign-in', async () => {
    await pool(everyone, opts.concurrency, async (u) => void (await sessionOf(u)));
    return { records: 0, signatures: 0 };
  });

  // Freeze: whole classes; in sample mode only as many classes as the sample needs.
  let frozen = 0;
  let blocked = 0;
  const selected = new Map<string, Set<string>>(); // schoolId → versionIds to sign
  const selectedByClass = new Map<string, string[]>(); // classId → versionIds to sign
  await phase('freeze', async () => {
    const perSchoolFrozen = new Map<string, string[]>();
    await pool(people, opts.concurrency, async (p) => {
      const ids: string[] = [];
      for (const c of p.classes) {
        if (opts.perSchool !== null && ids.length >= opts.perSchool) break;
        const s = await sessionOf(c.homeroom);
        const report = await s.json<{ frozen: Array<{ studentId: string }>; alreadyFrozen: unknown[]; blocked: unknown[] }>('freeze', 'POST', `/api/classes/${c.id}/freeze`, {});
        frozen += report.frozen.length;
        blocked += report.blocked.length;
        ids.push(...report.frozen.map((f) => f.studentId));
      }
      perSchoolFrozen.set(p.school.schoolId, ids);
    });
    for (const p of people) {
      const studentIds = perSchoolFrozen.get(p.school.schoolId) ?? [];
      const rows = await opts.database.query<{ id: string; student_id: string; class_id: string }>(
        `select rv.id, rv.student_id, e.class_id from record_versions rv join enrolments e on e.student_id = rv.student_id and e.school_year_id = rv.school_year_id where rv.school_id = $1 and rv.state = 'frozen'`,
        [p.school.schoolId],
      );
      const byStudent = new Map(rows.map((r) => [r.student_id, r]));
      const take = (opts.perSchool === null ? studentIds : studentIds.slice(0, opts.perSchool)).map((id) => byStudent.get(id)!).filter(Boolean);
      selected.set(p.school.schoolId, new Set(take.map((r) => r.id)));
      for (const r of take) selectedByClass.set(r.class_id, [...(selectedByClass.get(r.class_id) ?? []), r.id]);
    }
    return { records: frozen, signatures: 0 };
  });
  const selectedCount = [...selected.values()].reduce((n, s) => n + s.size, 0);

  /**
   * Prepares one batch and signs it to the end, request by request, alternating instances.
   * A refused or failed item does not stop the run: it is counted (with the first message)
   * and the run is reported as failed at the end, after the figures.
   */
  const signBatch = async (s: Session, step: Step, target: unknown): Promise<number> => {
    const batch = await s.json<{ batchId: string; items: unknown[]; refused: Array<{ message: string }> }>(`prepare ${step}`, 'POST', '/api/signing/batches', { step, target });
    for (const r of batch.refused) problems.push(`${s.username} ${step}: refused at prepare: ${r.message}`);
    let signed = 0;
    const per = step === 'seal' ? SEAL_PER_REQUEST : SIGN_PER_REQUEST;
    // The server takes pending items before failed ones: stop once none is pending (as the browser does).
    for (let guard = 0; guard < 10_000 && batch.items.length > 0; guard++) {
      const r = await s.json<SignResult>(`sign ${step}`, 'POST', `/api/signing/batches/${batch.batchId}/sign-with-server-key`, { password: opts.password, max: per });
      for (const x of r.results) if (x.status === 'failed') problems.push(`${s.username} ${step}: item ${x.itemId} failed: ${x.error?.code} ${x.error?.message ?? ''}`);
      signed += r.results.filter((x) => x.status === 'signed').length;
      if (r.results.length === 0 || r.progress.pending === 0) break;
    }
    return signed;
  };

  /** One person's step: their to-sign list (per class), one batch per class that is ready. */
  const signMine = async (username: string, step: Step): Promise<number> => {
    const s = await sessionOf(username);
    const { rows } = await s.json<{ rows: ToSignRow[] }>('to-sign', 'GET', '/api/signing/to-sign');
    let n = 0;
    for (const row of rows.filter((r) => r.step === step && r.ready > 0)) {
      const ids = opts.perSchool === null ? null : selectedByClass.get(row.classId);
      if (ids === undefined || ids?.length === 0) continue;
      const signed = await signBatch(s, step, ids === null ? { classId: row.classId } : { versionIds: ids });
      n += signed;
    }
    return n;
  };

  const signingPhase = async (step: Step, who: (p: People) => string[]) => {
    await phase(step, async () => {
      let signatures = 0;
      const one = async ({ p, u }: { p: People; u: string }) => {
        if (step === 'principal' || step === 'seal') {
          // The whole school at once (sample: the chosen records), as the principal's and clerk's pages offer.
          const s = await sessionOf(u);
          const ids = [...selected.get(p.school.schoolId)!];
          if (ids.length === 0) return;
          // (await first, then add: `x += await …` would read x before the await and lose concurrent additions)
          const n = await signBatch(s, step, opts.perSchool === null ? { school: true } : { versionIds: ids });
          signatures += n;
        } else {
          const n = await signMine(u, step);
          signatures += n;
        }
      };
      // Schools at once, each school's people one after another; with teachersAtOnce, a school's
      // people at once too (several subject teachers then sign the same records concurrently).
      if (opts.teachersAtOnce) await pool(people.flatMap((p) => who(p).map((u) => ({ p, u }))), opts.concurrency, one);
      else await pool(people, opts.concurrency, async (p) => {
        for (const u of who(p)) await one({ p, u });
      });
      return { records: selectedCount, signatures };
    });
  };
  try {
    await signingPhase('subject', (p) => p.subjectTeachers);
    await signingPhase('homeroom', (p) => [...new Set(p.classes.map((c) => c.homeroom))]);
    await signingPhase('principal', (p) => [p.principal]);
    await signingPhase('seal', (p) => [p.clerk]);
  } catch (err) {
    if (err instanceof HttpError) throw new Error(`${err.message}`);
    throw err;
  }
  return { phases, frozen, blocked, selected: selectedCount, problems };
}
