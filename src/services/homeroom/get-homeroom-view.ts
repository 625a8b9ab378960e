import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { classes } from '../../db/schema.ts';
import type { LearningResult } from '../../domain/assessment/types.ts';
import { DomainError } from '../../domain/errors.ts';
import { canReadClass, isHomeroomOf, type ActorScope } from '../../domain/policies/permissions.ts';
import type { HomeroomView } from '../../server/api-types.ts';
import { progress } from '../grades/present-sheet.ts';
import { buildClassYear } from './build-student-years.ts';

const level = (l: LearningResult) => (l.status === 'complete' ? l.level : null);

/**
 * The homeroom teacher's class view: per student conduct, absences and the derived
 * results; per subject who has not finished what. Codes, not labels: `learning` and
 * `conduct` are Circular 22 levels (tot/kha/dat/chua_dat), `outcome` a promotion outcome
 * kind, `award` xuat_sac/gioi. No ranking or class average (DOMAIN.md §2.9).
 */
export async function getHomeroomView(opts: { db: Db; actor: ActorScope; schoolId: string; classId: string }): Promise<HomeroomView> {
  if (!canReadClass(opts.actor, opts.classId)) throw new DomainError('forbidden');
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [cls] = await tx.select().from(classes).where(eq(classes.id, opts.classId));
    if (!cls) throw new DomainError('not_found', { what: 'lớp / class' });
    const year = await buildClassYear(tx, cls.id, cls.schoolYearId);
    return {
      class: { id: cls.id, name: cls.name, grade: cls.grade },
      canEdit: isHomeroomOf(opts.actor, cls.id),
      students: year.students.map((s) => {
        const r = s.result;
        return {
          studentId: s.studentId,
          fullName: s.fullName,
          studentCode: s.studentCode,
          semesters: {
            '1': { conduct: s.semesters[1].conduct as never, absentExcused: s.semesters[1].absentExcused, absentUnexcused: s.semesters[1].absentUnexcused, learning: level(r.learning.I) },
            '2': { conduct: s.semesters[2].conduct as never, absentExcused: s.semesters[2].absentExcused, absentUnexcused: s.semesters[2].absentUnexcused, learning: level(r.learning.II) },
          },
          year: {
            conduct: r.conduct.year.status === 'complete' ? r.conduct.year.level : null,
            learning: level(r.learning.year),
            absences: r.absentSessions ?? 0,
            outcome: r.promotion.status === 'complete' ? r.promotion.outcome.kind : null,
            award: r.award.status === 'complete' ? r.award.award : null,
            comment: s.comment,
            missing: r.missing.map((m) => ('subject' in m ? `${m.subject} HK${m.semester}` : m.kind === 'conduct' ? `Rèn luyện HK${m.semester}` : 'Nghỉ học')),
          },
        };
      }),
      subjects: year.sheets.map((sh) => {
        const one = (ctx: typeof sh.s1) => {
          const p = progress(ctx);
          return { status: ctx.sheet.status === 'submitted' ? ('submitted' as const) : ('open' as const), complete: p.complete, entered: p.entered, required: p.required };
        };
        return { classSubjectId: sh.classSubjectId, subjectName: sh.subjectName, teacher: sh.teacher, semesters: { '1': one(sh.s1), '2': one(sh.s2) } };
      }),
    };
  });
}
