import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { subjects } from '../../db/schema.ts';
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
    const [after] = await tx.update(subjects).set(patch).where(eq(subjects.id, opts.subjectId)).returning(columns);
    await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: 'subject.updated', targetType: 'subject', targetId: opts.subjectId, before, after });
    return after!;
  });
}
