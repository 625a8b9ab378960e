import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { classSubjects, gradeEntries, gradeSheets, subjects } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';

const columns = {
  id: subjects.id,
  code: subjects.code,
  name: subjects.name,
  nameEn: subjects.nameEn,
  kind: subjects.kind,
  assessment: subjects.assessment,
  periodsPerYear: subjects.periodsPerYear,
  ministryCode: subjects.ministryCode,
  sortOrder: subjects.sortOrder,
};

export async function listSubjects(opts: { db: Db; schoolId: string }) {
  return inSchool(opts.db, opts.schoolId, (tx) => tx.select(columns).from(subjects).orderBy(asc(subjects.sortOrder), asc(subjects.name)));
}

export interface SubjectPatch {
  name?: string | undefined;
  nameEn?: string | null | undefined;
  kind?: 'compulsory' | 'elective' | undefined;
  assessment?: 'score' | 'comment' | undefined;
  periodsPerYear?: number | undefined;
  ministryCode?: string | null | undefined;
  sortOrder?: number | undefined;
}

/** The school administrator edits the school's copy of the catalogue (audited with before/after). */
export async function updateSubject(opts: { db: Db; who: Actor; schoolId: string; subjectId: string; patch: SubjectPatch }) {
  const patch = Object.fromEntries(Object.entries(opts.patch).filter(([, v]) => v !== undefined)) as SubjectPatch;
  if (patch.name !== undefined) patch.name = patch.name.normalize('NFC').replace(/\s+/g, ' ').trim();
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [before] = await tx.select(columns).from(subjects).where(eq(subjects.id, opts.subjectId));
    if (!before) throw new DomainError('not_found', { what: 'môn học / subject' });
    // The assessment form and the periods decide the columns and averages of every sheet:
    // once marks exist they would silently change recorded results.
    const rulesChange = (patch.assessment !== undefined && patch.assessment !== before.assessment) || (patch.periodsPerYear !== undefined && patch.periodsPerYear !== before.periodsPerYear);
    if (rulesChange) {
      const [used] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(gradeEntries)
        .innerJoin(gradeSheets, eq(gradeSheets.id, gradeEntries.sheetId))
        .innerJoin(classSubjects, eq(classSubjects.id, gradeSheets.classSubjectId))
        .where(and(eq(classSubjects.subjectId, opts.subjectId), sql`${gradeEntries.field} <> 'comment'`));
      if (Number(used?.n ?? 0) > 0) {
        throw new DomainError('validation', { summary: 'subject' }, [
          { path: patch.assessment !== undefined ? 'assessment' : 'periodsPerYear', message: 'Môn đã có điểm: không thể đổi hình thức đánh giá hoặc số tiết (sẽ làm thay đổi kết quả đã ghi).' },
        ]);
      }
    }
    const [after] = await tx.update(subjects).set(patch).where(eq(subjects.id, opts.subjectId)).returning(columns);
    await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: 'subject.updated', targetType: 'subject', targetId: opts.subjectId, before, after });
    return after!;
  });
}
