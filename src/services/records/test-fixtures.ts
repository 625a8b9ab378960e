/**
 * Test data for the records tests (HTTP and browser): completes a class's school year for
 * some students — every mark of six score subjects in both semesters, conduct, clean
 * identity data — and freezes the class through the real service, so they get versions.
 * Not used by the application.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { classSubjects, gradeEntries, gradeSheets, staff, students, subjects } from '../../db/schema.ts';
import { loadActor } from '../auth/load-actor.ts';
import { updateHomeroomStudent } from '../homeroom/update-homeroom-student.ts';
import { freezeClass, type FreezeReport } from './freeze-class.ts';

export interface CompleteClassOptions {
  db: Db;
  schoolId: string;
  classId: string;
  /** Students to complete (the others stay incomplete: the freeze reports them). */
  studentIds: string[];
  /** The user teaching the added subjects (a subject teacher of the school). */
  teacherUserId: string;
  /** The class's homeroom teacher (sets conduct and freezes). */
  homeroomUserId: string;
  /** Subjects already taught in the class are kept; these are added (default: a Circular 22 set). */
  addSubjects?: string[];
}

/** Completes the year for the given students and freezes the class; the freeze report. */
export async function completeAndFreezeClass(opts: CompleteClassOptions): Promise<FreezeReport> {
  const { db, schoolId, classId } = opts;
  const [teacher] = await db.select().from(staff).where(eq(staff.userId, opts.teacherUserId));
  const existing = new Set((await db.select({ subjectId: classSubjects.subjectId }).from(classSubjects).where(eq(classSubjects.classId, classId))).map((r) => r.subjectId));
  const codes = opts.addSubjects ?? ['TOAN', 'NV', 'NN1', 'LS', 'VL', 'HH'];
  const subjectRows = await db.select().from(subjects).where(and(eq(subjects.schoolId, schoolId), inArray(subjects.code, codes)));
  for (const s of subjectRows) {
    if (!existing.has(s.id)) await db.insert(classSubjects).values({ schoolId, classId, subjectId: s.id, teacherStaffId: teacher!.id });
  }
  const css = await db
    .select({ id: classSubjects.id, periods: subjects.periodsPerYear })
    .from(classSubjects)
    .innerJoin(subjects, eq(subjects.id, classSubjects.subjectId))
    .where(eq(classSubjects.classId, classId));
  for (const cs of css) {
    const regular = cs.periods <= 35 ? 2 : cs.periods <= 70 ? 3 : 4;
    for (const semester of [1, 2]) {
      let [sheet] = await db.select().from(gradeSheets).where(and(eq(gradeSheets.classSubjectId, cs.id), eq(gradeSheets.semester, semester)));
      sheet ??= (await db.insert(gradeSheets).values({ schoolId, classSubjectId: cs.id, semester }).returning())[0];
      const values = opts.studentIds.flatMap((studentId) =>
        [
          ...Array.from({ length: regular }, (_, idx) => ({ field: 'regular', idx, value: '8' })),
          { field: 'midterm', idx: 0, value: '8.5' },
          { field: 'final', idx: 0, value: '9' },
        ].map((v) => ({ schoolId, sheetId: sheet!.id, studentId, ...v })),
      );
      if (values.length) await db.insert(gradeEntries).values(values);
    }
  }
  const clean = { birthPlace: 'Xã Hậu Lộc, Thanh Hóa', ethnicityCode: '01', nationality: 'Việt Nam', address: 'Thôn 1, Xã Hậu Lộc, Tỉnh Thanh Hóa', motherName: 'Lê Thị Hoa' };
  const rows = await db.select().from(students).where(inArray(students.id, opts.studentIds));
  for (const [i, s] of rows.entries()) {
    // A personal id consistent with the birth date and gender (CCCD: province, century + gender, year, serial).
    const year = (s.birthDate ?? '2010-01-01').slice(2, 4);
    const centuryGender = s.gender === 'female' ? '3' : '2';
    const serial = String(100 + i).padStart(6, '0');
    await db.update(students).set({ ...clean, personalId: `038${centuryGender}${year}${serial}`, studentCode: `38${String(10_000_000 + i).slice(-8)}` }).where(eq(students.id, s.id));
  }
  const who = { userId: opts.homeroomUserId, label: 'test homeroom' };
  const actor = await loadActor(db, opts.homeroomUserId, schoolId);
  for (const studentId of opts.studentIds) {
    for (const semester of [1, 2] as const) {
      await updateHomeroomStudent({ db, actor, who, schoolId, classId, studentId, update: { semester, conduct: 'tot' } });
    }
  }
  return freezeClass({ db, actor, who, schoolId, classId });
}
