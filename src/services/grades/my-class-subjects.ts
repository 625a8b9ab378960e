import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { classes, classSubjects, subjects } from '../../db/schema.ts';
import type { ActorScope } from '../../domain/policies/permissions.ts';
import type { MyClassSubject } from '../../server/api-types.ts';
import { progress } from './present-sheet.ts';
import { loadSheetByClassSubject } from './sheet-context.ts';

/** The class-subjects a teacher teaches, with each semester's progress. */
export async function myClassSubjects(opts: { db: Db; actor: ActorScope; schoolId: string }): Promise<MyClassSubject[]> {
  const ids = [...opts.actor.classSubjectIds];
  if (!ids.length) return [];
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const rows = await tx
      .select({ id: classSubjects.id, className: classes.name, grade: classes.grade, code: subjects.code, name: subjects.name, assessment: subjects.assessment })
      .from(classSubjects)
      .innerJoin(classes, eq(classes.id, classSubjects.classId))
      .innerJoin(subjects, eq(subjects.id, classSubjects.subjectId))
      .where(inArray(classSubjects.id, ids))
      .orderBy(asc(classes.grade), sql`length(${classes.name})`, asc(classes.name), asc(subjects.sortOrder));
    const out: MyClassSubject[] = [];
    for (const r of rows) {
      const sheets: MyClassSubject['sheets'] = [];
      for (const semester of [1, 2] as const) {
        const ctx = await loadSheetByClassSubject(tx, r.id, semester);
        const p = progress(ctx);
        sheets.push({ semester, status: ctx.sheet.status === 'submitted' ? 'submitted' : 'open', locked: ctx.lock.locked, complete: p.complete, entered: p.entered, required: p.required });
      }
      out.push({ id: r.id, className: r.className, grade: r.grade, subjectCode: r.code, subjectName: r.name, assessment: r.assessment === 'comment' ? 'comment' : 'score', sheets });
    }
    return out;
  });
}
