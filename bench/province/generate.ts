/**
 * Province generation for `npm run bench:province`: N schools, each the demo school
 * (src/services/demo: generateDemoSchool + loadDemoSchool with its finished year) loaded with
 * its own seed, so every school gets different people, marks and deliberate data problems.
 *
 * The demo loader writes a fixed school code and fixed sign-in names (hieutruong, vanthu, …),
 * and refuses to load a second school with the same code. So after each school is loaded its
 * code, name and the usernames of its accounts are renamed (one UPDATE each) before the next
 * one: the rows stay exactly what the demo loader (the services' bulk path) produced, which is
 * what freeze and signing read. Then the demo TEST PKI issues a certificate for every signer
 * and seal of every school (ensureDemoCertificates, as `hocba serve` does at start).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client.ts';
import { inSystem } from '../../src/db/scope.ts';
import { ensureDemoCertificates } from '../../src/services/certificates/demo-pki.ts';
import { DEMO_DEFAULT_SEED } from '../../src/services/demo/generate-demo-school.ts';
import { loadDemoSchool } from '../../src/services/demo/load-demo-school.ts';

export interface GeneratedSchool {
  index: number;
  schoolId: string;
  code: string;
  /** Username prefix of this school's accounts: `t001.` + the demo username. */
  prefix: string;
  students: number;
  /** Students the demo deliberately left with data problems (their freeze is refused). */
  problems: number;
  cells: number;
}

export interface GenerationReport {
  schools: GeneratedSchool[];
  students: number;
  cells: number;
  /** Loading schools, classes, staff, students and marks. */
  loadMs: number;
  /** Issuing and registering the TEST certificates. */
  certificatesMs: number;
  certificates: number;
}

/** Code and account prefix of the i-th school (1-based): safe as PKI file names. */
export function schoolCode(i: number): string {
  return `38PB${String(i).padStart(4, '0')}`;
}
export function accountPrefix(i: number): string {
  return `t${String(i).padStart(3, '0')}.`;
}

/**
 * Loads `schools` demo schools of `studentsPerSchool` students each, then the TEST PKI and
 * certificates (baseUrl: `<PUBLIC_URL>/pki` of the instances). Progress goes to `log`.
 */
export async function generateProvince(opts: { db: Db; schools: number; studentsPerSchool: number; dataDir: string; pkiBaseUrl: string; log: (m: string) => void }): Promise<GenerationReport> {
  const out: GeneratedSchool[] = [];
  const t0 = performance.now();
  let lastLog = t0;
  for (let i = 1; i <= opts.schools; i++) {
    const loaded = await loadDemoSchool({ db: opts.db, students: opts.studentsPerSchool, seed: DEMO_DEFAULT_SEED + i, year: true, actor: { userId: null, label: 'bench:province' } });
    const code = schoolCode(i);
    const prefix = accountPrefix(i);
    await inSystem(opts.db, async (tx) => {
      await tx.execute(sql`update schools set code = ${code}, name = ${`Trường THPT Tỉnh mẫu số ${i}`} where id = ${loaded.schoolId}`);
      // Every account of the school: staff (via staff.user_id) and the family accounts (via role grants).
      await tx.execute(sql`update users set username = ${prefix} || username,
          email = case when email is null then null else ${prefix} || email end
        where id in (select user_id from staff where school_id = ${loaded.schoolId} and user_id is not null
                     union select user_id from role_grants where school_id = ${loaded.schoolId})`);
    });
    out.push({ index: i, schoolId: loaded.schoolId, code, prefix, students: loaded.demo.students.length, problems: loaded.year!.problems.length, cells: loaded.year!.cells });
    if (performance.now() - lastLog > 10_000 || i === opts.schools) {
      lastLog = performance.now();
      opts.log(`  generated ${i}/${opts.schools} schools (${out.reduce((n, s) => n + s.students, 0).toLocaleString('en')} students) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  }
  const loadMs = performance.now() - t0;
  const t1 = performance.now();
  const pki = await ensureDemoCertificates({ db: opts.db, dataDir: opts.dataDir, baseUrl: opts.pkiBaseUrl, actor: { userId: null, label: 'bench:province' } });
  return {
    schools: out,
    students: out.reduce((n, s) => n + s.students, 0),
    cells: out.reduce((n, s) => n + s.cells, 0),
    loadMs,
    certificatesMs: performance.now() - t1,
    certificates: pki.issued,
  };
}
