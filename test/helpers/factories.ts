/** Small factories for tests: a school with a class, a few staff and students. */
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { inSystem } from '../../src/db/scope.ts';
import { classes, classSubjects, enrolments, homeroomAssignments, roleGrants, schoolYears, staff, students, subjects, users } from '../../src/db/schema.ts';
import type { Role } from '../../src/domain/policies/roles.ts';
import { hashPassword } from '../../src/services/auth/password-hash.ts';
import { initSchool } from '../../src/services/schools/init-school.ts';

export const TEST_PASSWORD = 'mat-khau-thu-nghiem';
let hash: Promise<string> | undefined;
const testHash = () => (hash ??= hashPassword(TEST_PASSWORD));

export interface TestSchool {
  schoolId: string;
  classId: string;
  otherClassId: string;
  classSubjectId: string;
  studentIds: string[];
  /** username by role: `${prefix}-${role}` */
  users: Record<Role, { id: string; username: string }>;
}

/**
 * A school with two classes (10A1, 10A2), Toán in 10A1 taught by the subject teacher,
 * 10A1's homeroom teacher, three students in 10A1 (the student and parent accounts are for
 * the first) and one in 10A2, and one account per school role named `<prefix>-<role>`.
 */
export async function makeSchool(database: Database, prefix: string): Promise<TestSchool> {
  const { db } = database;
  const { schoolId } = await initSchool({
    db,
    actor: { userId: null, label: 'test' },
    code: prefix.toUpperCase(),
    name: `Trường THPT ${prefix}`,
    province: 'Thanh Hóa',
    schoolYear: { name: '2025-2026', startsOn: '2025-09-05', endsOn: '2026-05-31' },
  });
  const passwordHash = await testHash();
  return inSystem(db, async (tx) => {
    const [year] = await tx.select().from(schoolYears).where(sql`${schoolYears.schoolId} = ${schoolId}`);
    const [c1, c2] = await tx
      .insert(classes)
      .values([
        { schoolId, schoolYearId: year!.id, name: '10A1', grade: 10 },
        { schoolId, schoolYearId: year!.id, name: '10A2', grade: 10 },
      ])
      .returning();
    const st = await tx
      .insert(students)
      .values(
        ['Nguyễn Văn An', 'Lê Thị Bình', 'Trần Đức Cường', 'Phạm Ngọc Dung'].map((fullName, i) => ({
          schoolId,
          fullName,
          gender: i % 2 ? 'female' : 'male',
          birthDate: '2010-03-0' + (i + 1),
          studentCode: `${prefix.length}0000000${i}`.slice(-10),
          personalId: `0382100000${i}`.padEnd(12, '0'),
        })),
      )
      .returning();
    await tx.insert(enrolments).values(st.map((s, i) => ({ schoolId, studentId: s.id, schoolYearId: year!.id, classId: i < 3 ? c1!.id : c2!.id })));

    const roles: Role[] = ['school_admin', 'principal', 'vice_principal', 'department_head', 'homeroom_teacher', 'subject_teacher', 'clerk', 'student', 'parent'];
    const out = {} as TestSchool['users'];
    for (const role of roles) {
      const username = `${prefix}-${role.replace(/_/g, '-')}`;
      const [u] = await tx.insert(users).values({ username, displayName: `${role} ${prefix}`, passwordHash }).returning();
      out[role] = { id: u!.id, username };
      await tx.insert(roleGrants).values({ userId: u!.id, schoolId, role, studentId: role === 'student' || role === 'parent' ? st[0]!.id : null });
    }
    const [teacher, homeroom] = await tx
      .insert(staff)
      .values([
        { schoolId, fullName: 'Giáo viên Toán', userId: out.subject_teacher.id, department: 'Toán – Tin' },
        { schoolId, fullName: 'Giáo viên chủ nhiệm', userId: out.homeroom_teacher.id, department: 'Ngữ văn' },
      ])
      .returning();
    const [toan] = await tx.select().from(subjects).where(sql`${subjects.schoolId} = ${schoolId} and ${subjects.code} = 'TOAN'`);
    const [cs] = await tx.insert(classSubjects).values({ schoolId, classId: c1!.id, subjectId: toan!.id, teacherStaffId: teacher!.id }).returning();
    await tx.insert(homeroomAssignments).values({ schoolId, classId: c1!.id, staffId: homeroom!.id });
    return { schoolId, classId: c1!.id, otherClassId: c2!.id, classSubjectId: cs!.id, studentIds: st.map((s) => s.id), users: out };
  });
}
