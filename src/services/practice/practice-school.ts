/**
 * Practice mode (issue 13.3): a sandbox school next to a real one, where its staff rehearse
 * entering marks, freezing, signing and sealing without touching real data.
 *
 * The practice school is the demo school generated afresh (fictitious students, a finished
 * year, test certificates from the demo PKI) under the real school's name plus "(thực hành)".
 * Its teaching is given to the REAL school's staff — the same accounts, a staff row of their
 * own in the practice school and the same roles — so each person rehearses their own task:
 * a mathematics teacher gets mathematics classes, a homeroom teacher a class, the principal
 * approves, the clerk seals. No real student, mark or record is copied.
 *
 * Practice schools are flagged (schools.practice_of_school_id, always is_demo): sync,
 * transfers and share links refuse them, their PDFs carry "BẢN THỰC HÀNH", the public
 * verification reports a practice record as such, and reminders are not e-mailed. A reset
 * retires the old practice school (nobody keeps a role in it; its append-only audit stays)
 * and creates a new one.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSystem, type Tx } from '../../db/scope.ts';
import { classSubjects, classes, homeroomAssignments, roleGrants, schoolYears, schools, sessions, staff, subjects, users } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import type { PracticeCreatedView, PracticeSchoolView, PracticeStateView } from '../../server/api-types.ts';
import { STAFF_ROLES, isRole, type Role } from '../../domain/policies/roles.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';
import { ensureDemoCertificates } from '../certificates/demo-pki.ts';
import { loadDemoYear } from '../demo/demo-marks.ts';
import type { DemoSchool } from '../demo/generate-demo-school.ts';
import { loadDemoSchool } from '../demo/load-demo-school.ts';

/** Students per generated class (the demo generator's class size). */
const CLASS_SIZE = 42;
/** The demo's size: 36 classes. A practice school never grows beyond it. */
const MAX_CLASSES = 36;
const MIN_CLASSES = 3;

/** The real school a school id stands for: itself, or the school a practice school belongs to. */
export async function realSchoolOf(db: Db, schoolId: string): Promise<{ id: string; name: string; practice: boolean }> {
  const rows = await inSystem(db, (tx) => tx.select({ id: schools.id, name: schools.name, of: schools.practiceOfSchoolId }).from(schools).where(eq(schools.id, schoolId)));
  const s = rows[0];
  if (!s) throw new DomainError('not_found', { what: `school ${schoolId}` });
  if (!s.of) return { id: s.id, name: s.name, practice: false };
  const real = await inSystem(db, (tx) => tx.select({ id: schools.id, name: schools.name }).from(schools).where(eq(schools.id, s.of!)));
  return { id: real[0]!.id, name: real[0]!.name, practice: true };
}

/** True when the school is a practice school (live or retired). */
export async function isPracticeSchool(db: Db, schoolId: string): Promise<boolean> {
  const rows = await inSystem(db, (tx) => tx.select({ of: schools.practiceOfSchoolId }).from(schools).where(eq(schools.id, schoolId)));
  return rows[0]?.of != null;
}

/**
 * Refuses an action that must never happen in a practice school (sync to HBS, transfers,
 * share links): `action` says what, in the error ("gửi học bạ lên CSDL ngành" …).
 */
export async function assertRealSchool(db: Db, schoolId: string, action: { vi: string; en: string }): Promise<void> {
  if (await isPracticeSchool(db, schoolId)) throw new DomainError('practice.not_real', { action: action.vi, actionEn: action.en });
}

/** The practice school of the real school behind `schoolId`, if any, with the caller's roles in it. */
export async function getPracticeState(opts: { db: Db; schoolId: string; userId: string }): Promise<PracticeStateView> {
  const real = await realSchoolOf(opts.db, opts.schoolId);
  const practice = await livePractice(opts.db, real.id, opts.userId);
  return { realSchoolId: real.id, realSchoolName: real.name, practice };
}

async function livePractice(db: Db, realSchoolId: string, userId: string | null): Promise<PracticeSchoolView | null> {
  return inSystem(db, async (tx) => {
    const [p] = await tx
      .select({ id: schools.id, code: schools.code, name: schools.name, createdAt: schools.createdAt })
      .from(schools)
      .where(and(eq(schools.practiceOfSchoolId, realSchoolId), isNull(schools.retiredAt)));
    if (!p) return null;
    const counts = await tx.execute<{ classes: number; students: number }>(
      sql`select (select count(*)::int from classes where school_id = ${p.id}) as classes, (select count(*)::int from students where school_id = ${p.id}) as students`,
    );
    const mine = userId ? await tx.select({ role: roleGrants.role }).from(roleGrants).where(and(eq(roleGrants.schoolId, p.id), eq(roleGrants.userId, userId))) : [];
    return {
      schoolId: p.id,
      code: p.code,
      name: p.name,
      createdAt: new Date(p.createdAt).toISOString(),
      classes: counts.rows[0]!.classes,
      students: counts.rows[0]!.students,
      myRoles: mine.map((m) => m.role).filter(isRole).sort(),
    };
  });
}

interface RealPerson {
  userId: string;
  fullName: string;
  gender: string | null;
  birthDate: string | null;
  department: string | null;
  position: string | null;
  email: string | null;
  roles: Role[];
  /** Subject codes this person teaches in the real school (any class). */
  subjects: string[];
  homeroom: boolean;
}

/** The real school's active staff with a staff role, what they teach and whether they are a GVCN. */
async function realStaff(tx: Tx, realSchoolId: string): Promise<RealPerson[]> {
  const rows = await tx
    .select({ userId: staff.userId, fullName: staff.fullName, gender: staff.gender, birthDate: staff.birthDate, department: staff.department, position: staff.position, email: staff.email })
    .from(staff)
    .innerJoin(users, eq(users.id, staff.userId))
    .where(and(eq(staff.schoolId, realSchoolId), isNull(users.disabledAt)));
  const grants = await tx
    .select({ userId: roleGrants.userId, role: roleGrants.role })
    .from(roleGrants)
    .where(and(eq(roleGrants.schoolId, realSchoolId), inArray(roleGrants.role, [...STAFF_ROLES])));
  const taught = await tx
    .selectDistinct({ userId: staff.userId, code: subjects.code })
    .from(classSubjects)
    .innerJoin(staff, eq(staff.id, classSubjects.teacherStaffId))
    .innerJoin(subjects, eq(subjects.id, classSubjects.subjectId))
    .where(eq(classSubjects.schoolId, realSchoolId));
  const homeroom = await tx.selectDistinct({ userId: staff.userId }).from(homeroomAssignments).innerJoin(staff, eq(staff.id, homeroomAssignments.staffId)).where(eq(homeroomAssignments.schoolId, realSchoolId));
  const homeroomUsers = new Set(homeroom.map((h) => h.userId));
  return rows
    .filter((r): r is typeof r & { userId: string } => r.userId !== null)
    .map((r) => {
      const roles = grants.filter((g) => g.userId === r.userId).map((g) => g.role).filter(isRole);
      return {
        ...r,
        roles: [...new Set(roles)].sort(),
        subjects: [...new Set(taught.filter((t) => t.userId === r.userId).map((t) => t.code))].sort(),
        homeroom: homeroomUsers.has(r.userId) || roles.includes('homeroom_teacher'),
      };
    })
    .filter((p) => p.roles.length > 0)
    .sort((a, b) => a.fullName.localeCompare(b.fullName, 'vi') || a.userId.localeCompare(b.userId));
}

/**
 * Who teaches what in the practice school: each generated teaching post goes to a real teacher
 * of the same subject (round robin, so every such teacher gets classes), else to any real
 * subject teacher, so no class is left without someone who can enter and sign its marks.
 */
export function assignTeachingPosts(demo: Pick<DemoSchool, 'staff'>, people: Array<Pick<RealPerson, 'userId' | 'roles' | 'subjects'>>): Map<string, string> {
  const teachers = people.filter((p) => p.roles.includes('subject_teacher') || p.subjects.length > 0);
  const pool = teachers.length ? teachers : people;
  const bySubject = new Map<string, typeof people>();
  for (const p of teachers) for (const s of p.subjects) bySubject.set(s, [...(bySubject.get(s) ?? []), p]);
  const turn = new Map<string, number>();
  const out = new Map<string, string>();
  for (const post of demo.staff) {
    const subject = post.subjectCodes[0] ?? '';
    const candidates = bySubject.get(subject) ?? pool;
    const key = bySubject.has(subject) ? subject : '*';
    const i = turn.get(key) ?? 0;
    turn.set(key, i + 1);
    out.set(post.key, candidates[i % candidates.length]!.userId);
  }
  return out;
}

/** How many classes the practice school has: one per real homeroom teacher, between 3 and 36. */
export function practiceClassCount(homeroomTeachers: number): number {
  return Math.min(MAX_CLASSES, Math.max(MIN_CLASSES, homeroomTeachers));
}

/**
 * Creates the practice school of the real school `schoolId` (or, with `reset`, retires the
 * current one and creates it afresh), gives the real staff their roles in it and issues test
 * certificates for its signers. Only from the real school; audited in both schools.
 */
export async function createPracticeSchool(opts: {
  db: Db;
  who: Actor;
  schoolId: string;
  /** The person asking (their roles in the result); none from the CLI. */
  userId?: string;
  reset?: boolean;
  /** Where the demo PKI lives and is published (`<PUBLIC_URL>/pki`). */
  pki: { dataDir: string; baseUrl: string };
  /** Fewer students than one class per homeroom teacher (tests). */
  classes?: number;
  seed?: number;
}): Promise<PracticeCreatedView> {
  const t0 = performance.now();
  const { db, who } = opts;
  const real = await inSystem(db, (tx) => tx.select().from(schools).where(eq(schools.id, opts.schoolId)));
  const school = real[0];
  if (!school) throw new DomainError('not_found', { what: `school ${opts.schoolId}` });
  if (school.practiceOfSchoolId) throw new DomainError('practice.not_real', { action: 'tạo trường thực hành từ một trường thực hành', actionEn: 'make a practice school of a practice school' });

  const people = await inSystem(db, (tx) => realStaff(tx, school.id));
  if (people.length === 0) throw new DomainError('practice.no_staff', { reason: 'trường chưa có cán bộ nào có tài khoản' });
  const homeroomTeachers = people.filter((p) => p.homeroom);
  const classCount = opts.classes ?? practiceClassCount(homeroomTeachers.length);

  // Retire the live one first (reset), in one transaction: roles removed, sessions moved back.
  const retiredSchoolId = await inSystem(db, async (tx) => {
    const [live] = await tx.select({ id: schools.id, code: schools.code }).from(schools).where(and(eq(schools.practiceOfSchoolId, school.id), isNull(schools.retiredAt))).for('update');
    if (!live) return null;
    if (!opts.reset) throw new DomainError('practice.exists', { code: live.code });
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    await tx.update(schools).set({ retiredAt: new Date(), code: `${live.code}-${stamp}` }).where(eq(schools.id, live.id));
    await tx.delete(roleGrants).where(eq(roleGrants.schoolId, live.id));
    await tx.update(sessions).set({ activeSchoolId: school.id }).where(eq(sessions.activeSchoolId, live.id));
    await appendAudit(tx, { actor: who, schoolId: live.id, action: 'practice.retired', targetType: 'school', targetId: live.id, after: { by: school.code } });
    return live.id;
  });

  const code = await uniqueCode(db, `${school.code}-TH`);
  const loaded = await loadDemoSchool({
    db,
    actor: who,
    students: classCount * CLASS_SIZE,
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    year: false,
    as: {
      school: { code, name: `${school.name} (thực hành)`, province: school.province, commune: school.commune, address: school.address, practiceOfSchoolId: school.id },
      staffing: (tx, practiceId, demo) => staffPractice(tx, practiceId, demo, people),
    },
  });
  const practiceId = loaded.schoolId;

  // Homeroom classes go to the real homeroom teachers (round robin), and everyone holds the
  // teaching roles their practice assignments need.
  await inSystem(db, async (tx) => {
    const staffRows = await tx.select({ id: staff.id, userId: staff.userId }).from(staff).where(eq(staff.schoolId, practiceId));
    const staffOf = new Map(staffRows.map((s) => [s.userId, s.id]));
    if (homeroomTeachers.length) {
      const [year] = await tx.select({ id: schoolYears.id }).from(schoolYears).where(eq(schoolYears.schoolId, practiceId));
      const classRows = await tx.select({ id: classes.id, name: classes.name }).from(classes).where(eq(classes.schoolYearId, year!.id));
      classRows.sort((a, b) => a.name.localeCompare(b.name, 'vi', { numeric: true }));
      for (const [i, c] of classRows.entries()) {
        await tx.update(homeroomAssignments).set({ staffId: staffOf.get(homeroomTeachers[i % homeroomTeachers.length]!.userId)! }).where(eq(homeroomAssignments.classId, c.id));
      }
    }
    const needs = await tx.execute<{ user_id: string; role: Role }>(sql`
      select distinct s.user_id, 'subject_teacher' as role from class_subjects cs join staff s on s.id = cs.teacher_staff_id where cs.school_id = ${practiceId}
      union
      select distinct s.user_id, 'homeroom_teacher' as role from homeroom_assignments h join staff s on s.id = h.staff_id where h.school_id = ${practiceId}`);
    const have = await tx.select({ userId: roleGrants.userId, role: roleGrants.role }).from(roleGrants).where(eq(roleGrants.schoolId, practiceId));
    const held = new Set(have.map((h) => `${h.userId}/${h.role}`));
    const missing = needs.rows.filter((n) => !held.has(`${n.user_id}/${n.role}`)).map((n) => ({ userId: n.user_id, schoolId: practiceId, role: n.role }));
    if (missing.length) await tx.insert(roleGrants).values(missing);
    await appendAudit(tx, {
      actor: who,
      schoolId: school.id,
      action: opts.reset ? 'practice.reset' : 'practice.created',
      targetType: 'school',
      targetId: practiceId,
      after: { code, classes: classCount, staff: people.length, retired: retiredSchoolId },
    });
  });

  await loadDemoYear({ db, schoolId: practiceId, seed: opts.seed ?? 2025, actor: who });
  const pki = await ensureDemoCertificates({ db, dataDir: opts.pki.dataDir, baseUrl: opts.pki.baseUrl, actor: who });
  const info = (await livePractice(db, school.id, opts.userId ?? null))!;
  return { ...info, staff: people.length, certificatesIssued: pki.issued, retiredSchoolId, ms: Math.round(performance.now() - t0) };
}

/** Staff rows in the practice school for every real person, their real staff roles, and the teaching posts. */
async function staffPractice(tx: Tx, practiceId: string, demo: DemoSchool, people: RealPerson[]): Promise<Map<string, string>> {
  const rows = await tx
    .insert(staff)
    .values(people.map((p) => ({ schoolId: practiceId, userId: p.userId, fullName: p.fullName, gender: p.gender, birthDate: p.birthDate, department: p.department, position: p.position, email: p.email })))
    .returning({ id: staff.id, userId: staff.userId });
  const staffOf = new Map(rows.map((r) => [r.userId, r.id]));
  await tx.insert(roleGrants).values(people.flatMap((p) => p.roles.map((role) => ({ userId: p.userId, schoolId: practiceId, role }))));
  const posts = assignTeachingPosts(demo, people);
  return new Map([...posts].map(([key, userId]) => [key, staffOf.get(userId)!]));
}

async function uniqueCode(db: Db, base: string): Promise<string> {
  const taken = await inSystem(db, (tx) => tx.select({ code: schools.code }).from(schools).where(sql`${schools.code} like ${`${base}%`}`));
  const set = new Set(taken.map((t) => t.code));
  if (!set.has(base)) return base;
  for (let i = 2; ; i++) if (!set.has(`${base}${i}`)) return `${base}${i}`;
}
