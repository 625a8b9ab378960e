/**
 * What each role's home page shows. Counts only, computed in the school's scope; a
 * section per role the person holds, in the order of the roles table.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, inSystem } from '../../db/scope.ts';
import { classes, classSubjects, enrolments, schoolYears, schools, staff, students, subjects, users } from '../../db/schema.ts';
import type { ActorScope } from '../../domain/policies/permissions.ts';
import { ROLES } from '../../domain/policies/roles.ts';
import type { HomeInfo } from '../../server/api-types.ts';
import { provinceHomeSection } from '../province/province-home.ts';

type Section = HomeInfo['sections'][number];

export async function getHome(opts: { db: Db; actor: ActorScope }): Promise<HomeInfo> {
  const { db, actor } = opts;
  const roles = ROLES.filter((r) => actor.roles.has(r));
  const sections: Section[] = [];
  if (actor.roles.has('system_admin')) {
    const [c] = await inSystem(db, (tx) =>
      tx.select({ schools: sql<number>`(select count(*)::int from ${schools})`, users: sql<number>`(select count(*)::int from ${users})` }).from(sql`(select 1) as one`),
    );
    sections.push({ role: 'system_admin', cards: [{ key: 'schools', value: Number(c!.schools) }, { key: 'users', value: Number(c!.users) }] });
  }
  if (actor.roles.has('province_officer')) sections.push(await provinceHomeSection(db, actor.userId));
  const schoolId = actor.schoolId;
  if (!schoolId) return { school: null, sections };

  return inSchool(db, schoolId, async (tx) => {
    const [school] = await tx
      .select({ id: schools.id, name: schools.name, schoolYear: schoolYears.name })
      .from(schools)
      .leftJoin(schoolYears, and(eq(schoolYears.schoolId, schools.id), eq(schoolYears.isCurrent, true)));
    const count = async (table: typeof classes | typeof students | typeof staff | typeof subjects) =>
      Number((await tx.select({ n: sql<number>`count(*)::int` }).from(table))[0]?.n ?? 0);

    for (const role of roles) {
      if (role === 'principal' || role === 'vice_principal' || role === 'school_admin') {
        sections.push({
          role,
          cards: [
            { key: 'classes', value: await count(classes) },
            { key: 'students', value: await count(students) },
            { key: 'staff', value: await count(staff) },
            { key: 'subjects', value: await count(subjects) },
          ],
        });
      } else if (role === 'homeroom_teacher') {
        for (const classId of actor.homeroomClassIds) {
          const [c] = await tx.select({ name: classes.name }).from(classes).where(eq(classes.id, classId));
          const [n] = await tx.select({ n: sql<number>`count(*)::int` }).from(enrolments).where(and(eq(enrolments.classId, classId), eq(enrolments.status, 'active')));
          sections.push({ role, cards: [{ key: 'class_name', value: c?.name ?? '' }, { key: 'class_students', value: Number(n?.n ?? 0) }] });
        }
      } else if (role === 'subject_teacher') {
        const ids = [...actor.classSubjectIds];
        const items = ids.length
          ? await tx
              .select({ id: classSubjects.id, subject: subjects.name, className: classes.name, grade: classes.grade })
              .from(classSubjects)
              .innerJoin(subjects, eq(subjects.id, classSubjects.subjectId))
              .innerJoin(classes, eq(classes.id, classSubjects.classId))
              .where(inArray(classSubjects.id, ids))
              .orderBy(asc(classes.grade), sql`length(${classes.name})`, asc(classes.name), asc(subjects.sortOrder))
          : [];
        sections.push({ role, cards: [{ key: 'class_subjects', value: items.length }], items: items.map((i) => ({ id: i.id, label: `${i.subject} – ${i.className}` })) });
      } else if (role === 'department_head') {
        const [me] = await tx.select({ department: staff.department }).from(staff).where(eq(staff.userId, actor.userId));
        const dept = me?.department ?? '';
        const [n] = await tx.select({ n: sql<number>`count(*)::int` }).from(staff).where(eq(staff.department, dept));
        sections.push({ role, cards: [{ key: 'department', value: dept }, { key: 'department_teachers', value: Number(n?.n ?? 0) }] });
      } else if (role === 'clerk') {
        sections.push({ role, cards: [{ key: 'staff', value: await count(staff) }] });
      } else if (role === 'student' || role === 'parent') {
        for (const studentId of actor.studentIds) {
          const [s] = await tx
            .select({ name: students.fullName, className: classes.name })
            .from(students)
            .leftJoin(enrolments, eq(enrolments.studentId, students.id))
            .leftJoin(classes, eq(classes.id, enrolments.classId))
            .where(eq(students.id, studentId));
          sections.push({ role, cards: [{ key: 'student_name', value: s?.name ?? '' }, { key: 'class_name', value: s?.className ?? '' }] });
        }
      }
    }
    return { school: school ? { id: school.id, name: school.name, schoolYear: school.schoolYear } : null, sections };
  });
}
