/**
 * Loads the generated demo school into the database: school, year, subjects, staff and
 * their accounts, classes, teaching and homeroom assignments, students, enrolments and a
 * few student/parent accounts. Rows go in chunks (fast on PGlite and PostgreSQL).
 */
import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSystem, type Tx } from '../../db/scope.ts';
import { classes, classSubjects, enrolments, homeroomAssignments, roleGrants, staff, students, subjects, users } from '../../db/schema.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';
import { hashPassword } from '../auth/password-hash.ts';
import { initSchool } from '../schools/init-school.ts';
import { ROLE_LABELS } from '../../domain/policies/roles.ts';
import { DEMO_DEFAULT_SEED, DEMO_PASSWORD, demoSigningSteps, generateDemoSchool, type DemoOptions, type DemoSchool } from './generate-demo-school.ts';
import { loadDemoYear, type DemoMarksReport } from './demo-marks.ts';
import { addDemoProvinceOfficer, DEMO_PROVINCE_OFFICER } from '../province/demo-province-officer.ts';

const CHUNK = 500;

async function insertChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

export interface DemoLoaded {
  schoolId: string;
  demo: DemoSchool;
  password: string;
  /** The finished year (marks, conduct, absences, comments), when asked for. */
  year: DemoMarksReport | null;
}

/**
 * Generates and loads the demo school. Fails (changing nothing) if a school with its code
 * exists. With `year: true` it also fills the whole school year (demo-marks.ts), so classes
 * can be frozen and signed at once; benchmarks that enter marks themselves leave it off.
 */
export async function loadDemoSchool(opts: { db: Db; actor?: Actor; year?: boolean; as?: DemoTarget } & DemoOptions): Promise<DemoLoaded> {
  const actor = opts.actor ?? { userId: null, label: 'demo' };
  const demo = generateDemoSchool({ ...(opts.students !== undefined ? { students: opts.students } : {}), ...(opts.seed !== undefined ? { seed: opts.seed } : {}) });
  const school = opts.as ? opts.as.school : demo.school;
  const { schoolId } = await initSchool({ db: opts.db, actor, ...school, schoolYear: demo.schoolYear, isDemo: true });
  await inSystem(opts.db, async (tx) => {
    const year = await tx.query.schoolYears.findFirst({ where: (y, { eq }) => eq(y.schoolId, schoolId) });
    const subjectRows = await tx.select({ id: subjects.id, code: subjects.code }).from(subjects).where(sql`${subjects.schoolId} = ${schoolId}`);
    const subjectId = new Map(subjectRows.map((s) => [s.code, s.id]));
    const staffId = opts.as ? await opts.as.staffing(tx, schoolId, demo) : await loadDemoStaff(tx, schoolId, demo);

    const classRows = await tx
      .insert(classes)
      .values(demo.classes.map((c) => ({ schoolId, schoolYearId: year!.id, name: c.name, grade: c.grade, electiveCombination: c.electiveCombination })))
      .returning({ id: classes.id, name: classes.name });
    const classId = new Map(classRows.map((c) => [c.name, c.id]));

    await insertChunks(
      demo.classes.flatMap((c) =>
        c.subjects.map((s) => ({
          schoolId,
          classId: classId.get(c.name)!,
          subjectId: subjectId.get(s.code)!,
          teacherStaffId: staffId.get(s.teacherStaffKey)!,
          topicCluster: s.topicCluster,
        })),
      ),
      (chunk) => tx.insert(classSubjects).values(chunk),
    );
    await tx.insert(homeroomAssignments).values(demo.classes.map((c) => ({ schoolId, classId: classId.get(c.name)!, staffId: staffId.get(c.homeroomStaffKey)! })));

    const studentId = new Map<string, string>();
    await insertChunks(demo.students, async (chunk) => {
      const rows = await tx
        .insert(students)
        .values(
          chunk.map((s) => ({
            schoolId,
            studentCode: s.studentCode,
            personalId: s.personalId,
            fullName: s.fullName,
            gender: s.gender,
            birthDate: s.birthDate,
            birthPlace: s.birthPlace,
            ethnicityCode: s.ethnicityCode,
            nationality: s.nationality,
            address: s.address,
            phone: s.phone,
            fatherName: s.fatherName,
            fatherOccupation: s.fatherOccupation,
            motherName: s.motherName,
            motherOccupation: s.motherOccupation,
            policyStatus: s.policyStatus,
          })),
        )
        .returning({ id: students.id, code: students.studentCode });
      const byCode = new Map(rows.map((r) => [r.code, r.id]));
      for (const s of chunk) studentId.set(s.key, byCode.get(s.studentCode)!);
    });
    await insertChunks(demo.students, (chunk) =>
      tx.insert(enrolments).values(
        chunk.map((s) => ({ schoolId, studentId: studentId.get(s.key)!, schoolYearId: year!.id, classId: classId.get(s.className)!, enrolledOn: demo.schoolYear.startsOn })),
      ),
    );
    if (!opts.as && demo.familyAccounts.length) {
      const userId = await usernamesToIds(tx, demo.familyAccounts.map((f) => f.username));
      await tx.insert(roleGrants).values(
        demo.familyAccounts.map((f) => ({ userId: userId.get(f.username)!, schoolId, role: f.role, studentId: studentId.get(f.studentKey)! })),
      );
    }
    await appendAudit(tx, {
      actor,
      schoolId,
      action: 'demo.loaded',
      targetType: 'school',
      targetId: schoolId,
      after: { classes: demo.classes.length, students: demo.students.length, staff: demo.staff.length },
    });
  });
  const year = opts.year ? await loadDemoYear({ db: opts.db, schoolId, seed: opts.seed ?? DEMO_DEFAULT_SEED, actor }) : null;
  return { schoolId, demo, password: DEMO_PASSWORD, year };
}

/** Where the generated school goes instead of the demo's own identity (a practice school). */
export interface DemoTarget {
  school: { code: string; name: string; province: string; commune: string | null; address: string | null; practiceOfSchoolId: string };
  /** Creates the staff rows and role grants of the new school; answers demo staff key → staff id. */
  staffing: (tx: Tx, schoolId: string, demo: DemoSchool) => Promise<Map<string, string>>;
}

async function usernamesToIds(tx: Tx, usernames: string[]): Promise<Map<string, string>> {
  const rows = usernames.length ? await tx.select({ id: users.id, username: users.username }).from(users).where(inArray(users.username, usernames)) : [];
  return new Map(rows.map((u) => [u.username, u.id]));
}

/** The demo's own staff and family accounts, staff rows and staff role grants. */
async function loadDemoStaff(tx: Tx, schoolId: string, demo: DemoSchool): Promise<Map<string, string>> {
  // One hash for every demo account: they share the published demo password anyway, and
  // ~100 argon2 hashes would add seconds to every start on an empty database.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const userRows = await tx
    .insert(users)
    .values([
      ...demo.staff.map((s) => ({ username: s.username, displayName: s.fullName, email: s.email, passwordHash })),
      ...demo.familyAccounts.map((f) => ({ username: f.username, displayName: f.fullName, passwordHash })),
    ])
    .returning({ id: users.id, username: users.username });
  const userId = new Map(userRows.map((u) => [u.username, u.id]));

  const staffRows = await tx
    .insert(staff)
    .values(
      demo.staff.map((s) => ({
        schoolId,
        userId: userId.get(s.username)!,
        fullName: s.fullName,
        gender: s.gender,
        birthDate: s.birthDate,
        department: s.department,
        position: s.position,
        email: s.email,
      })),
    )
    .returning({ id: staff.id, userId: staff.userId });
  const staffIdByUser = new Map(staffRows.map((r) => [r.userId, r.id]));
  const staffId = new Map(demo.staff.map((s) => [s.key, staffIdByUser.get(userId.get(s.username)!)!]));

  await insertChunks(
    demo.staff.flatMap((s) => s.roles.map((role) => ({ userId: userId.get(s.username)!, schoolId, role }))),
    (chunk) => tx.insert(roleGrants).values(chunk),
  );
  await addDemoProvinceOfficer(tx, demo.school.province, passwordHash);
  return staffId;
}

/** True when the deployment has no school yet. */
export async function hasNoSchool(db: Db): Promise<boolean> {
  const r = await db.execute<{ n: string }>(sql`select count(*)::text as n from schools`);
  return r.rows[0]?.n === '0';
}


/**
 * What start-up prints after loading the demo: the school, the finished year, the sign-ins
 * and who to sign in as for each step of the signing workflow (no secret but the published
 * demo password).
 */
export function demoLoadedLines(loaded: DemoLoaded): string[] {
  const { demo, year } = loaded;
  const lines = [`Trường mẫu / demo school: ${demo.school.name} — ${demo.classes.length} lớp, ${demo.students.length} học sinh, ${demo.staff.length} cán bộ.`];
  if (year) {
    lines.push(
      `Năm học ${demo.schoolYear.name} đã có đủ điểm, rèn luyện, chuyên cần, nhận xét / the year is complete: ${year.cells.toLocaleString('en')} ô điểm / cells in ${(year.ms / 1000).toFixed(1)} s; ` +
        `${year.problems.length} học sinh cố ý có lỗi dữ liệu để minh họa / students with deliberate data problems.`,
    );
  }
  lines.push(`Tài khoản mẫu / demo sign-ins (mật khẩu / password: ${loaded.password}):`);
  for (const l of demo.demoLogins) lines.push(`  ${l.username.padEnd(22)} ${ROLE_LABELS[l.role].vi} — ${l.description}`);
  lines.push(`  ${DEMO_PROVINCE_OFFICER.username.padEnd(22)} ${ROLE_LABELS.province_officer.vi} — tiến độ toàn tỉnh ${demo.school.province} / the province board`);
  if (year) {
    lines.push('Thử ký học bạ từ đầu đến cuối / try the signing workflow end to end:');
    for (const s of demoSigningSteps(demo)) lines.push(`  ${s.step}: ${s.usernames.join(', ')}`);
  }
  return lines;
}
