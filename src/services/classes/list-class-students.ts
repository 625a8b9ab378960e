import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { classes, enrolments, students } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { compareVietnameseNames } from '../../domain/identity/names.ts';
import { canReadClass, type ActorScope } from '../../domain/policies/permissions.ts';

/** The students of a class in register order: by given name, then the rest (Vietnamese alphabet and tones). */
export async function listClassStudents(opts: { db: Db; actor: ActorScope; schoolId: string; classId: string }) {
  if (!canReadClass(opts.actor, opts.classId)) throw new DomainError('forbidden');
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [cls] = await tx.select({ id: classes.id, name: classes.name, grade: classes.grade }).from(classes).where(eq(classes.id, opts.classId));
    if (!cls) throw new DomainError('not_found', { what: 'lớp / class' });
    const rows = await tx
      .select({
        id: students.id,
        fullName: students.fullName,
        gender: students.gender,
        birthDate: students.birthDate,
        studentCode: students.studentCode,
        personalId: students.personalId,
      })
      .from(enrolments)
      .innerJoin(students, eq(students.id, enrolments.studentId))
      .where(and(eq(enrolments.classId, cls.id), eq(enrolments.status, 'active')))
      .orderBy(asc(students.fullName));
    rows.sort((a, b) => compareVietnameseNames(a.fullName, b.fullName));
    return { class: cls, students: rows };
  });
}
