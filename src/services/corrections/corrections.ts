/**
 * Change requests on a returned or sealed record version (issue 7.6, issue 8.5;
 * docs/corrections.md). The homeroom teacher asks for any part of the record, a subject
 * teacher for their own rows; the principal decides. Approval reopens the locked grade
 * sheets of the named subjects (as an approved unlock request does, with the same sheet
 * history entry), the teacher fixes and resubmits, and the homeroom teacher's next freeze of
 * the class makes version N+1 of that student (freeze-class.ts asks refreezeDecision), which
 * supersedes version N once it is sealed.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, type Tx } from '../../db/scope.ts';
import { classSubjects, gradeSheets, recordCorrections, recordVersions, subjects } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { canDecideChanges } from '../../domain/policies/grade-sheet.ts';
import { hasPermission, type ActorScope } from '../../domain/policies/permissions.ts';
import { RECORD_STATE_LABELS_VI, type RecordState } from '../../domain/record/signing-order.ts';
import type { CorrectionScope, CorrectionView } from '../../server/api-types.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';
import { recordGradeEvent } from '../grades/record-grade-event.ts';
import { loadSheetForWrite } from '../grades/sheet-context.ts';
import { loadRecord, loadRecords, type LoadedRecord } from '../signing/record-facts.ts';
import { carryForwardSubjectSignatures, type CarryResult } from './carry-forward.ts';
import { successorOf } from './versions.ts';

export const CORRECTION_SCOPES = ['subject_rows', 'year_summary', 'identity'] as const satisfies readonly CorrectionScope[];
export type { CorrectionScope, CorrectionView };


type Row = typeof recordCorrections.$inferSelect;

function present(r: Row, rec: Pick<LoadedRecord, 'version' | 'snapshot'>): CorrectionView {
  return {
    id: r.id,
    versionId: r.versionId,
    version: rec.version,
    studentId: r.studentId,
    studentName: rec.snapshot.identity.fullName,
    className: rec.snapshot.identity.className,
    scope: r.scope as CorrectionScope,
    subjects: r.subjects,
    reason: r.reason,
    status: r.status as CorrectionView['status'],
    requestedBy: r.requestedByLabel,
    requestedAt: r.requestedAt.toISOString(),
    decidedBy: r.decidedByLabel,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    decisionNote: r.decisionNote,
    reopenedSheets: r.reopenedSheetIds.length,
    newVersionId: r.newVersionId,
  };
}

/** Whether the person may ask to correct this record, for this scope and these rows. */
function mayRequest(actor: ActorScope, rec: LoadedRecord, scope: CorrectionScope, codes: string[]): boolean {
  if (!hasPermission(actor.roles, 'records.correct')) return false;
  const homeroom = rec.facts.homeroomTeacherId === actor.userId || (rec.classId !== null && actor.homeroomClassIds.has(rec.classId));
  if (homeroom) return true;
  return scope === 'subject_rows' && codes.length > 0 && codes.every((c) => rec.facts.subjects.some((s) => s.code === c && s.teacherId === actor.userId));
}

/** Raises a change request on a returned or sealed version that has no newer version yet. */
export async function requestCorrection(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; versionId: string; scope: CorrectionScope; subjects?: string[]; reason: string }): Promise<CorrectionView> {
  const reason = opts.reason.normalize('NFC').trim();
  if (reason.length < 5 || reason.length > 1000) throw new DomainError('validation', { summary: 'reason: 5–1000 characters' }, [{ path: 'reason', message: 'Hãy ghi rõ lý do (5–1000 ký tự) / give the reason (5–1000 characters)' }]);
  const codes = [...new Set(opts.subjects ?? [])];
  if (opts.scope === 'subject_rows' && codes.length === 0) throw new DomainError('validation', { summary: 'subjects' }, [{ path: 'subjects', message: 'Chọn môn cần sửa / choose the subjects to correct' }]);
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const rec = await loadRecord(tx, opts.versionId, { lock: true });
    const unknown = codes.filter((c) => !rec.facts.subjects.some((s) => s.code === c));
    if (unknown.length) throw new DomainError('validation', { summary: 'subjects' }, [{ path: 'subjects', message: `môn không có trong học bạ / not in the record: ${unknown.join(', ')}` }]);
    if (!mayRequest(opts.actor, rec, opts.scope, codes)) throw new DomainError('forbidden');
    const state = rec.facts.state;
    if (state !== 'returned' && state !== 'sealed') throw new DomainError('correction.wrong_state', { version: rec.version, state: RECORD_STATE_LABELS_VI[state] });
    const next = await successorOf(tx, rec.versionId);
    if (next) throw new DomainError('correction.not_latest', { version: rec.version, latest: next.version });
    const [open] = await tx.select({ id: recordCorrections.id }).from(recordCorrections).where(and(eq(recordCorrections.versionId, rec.versionId), inArray(recordCorrections.status, ['pending', 'approved'])));
    if (open) throw new DomainError('correction.open_exists', { version: rec.version });
    const [row] = await tx
      .insert(recordCorrections)
      .values({ schoolId: opts.schoolId, versionId: rec.versionId, studentId: rec.studentId, scope: opts.scope, subjects: opts.scope === 'subject_rows' ? codes : [], reason, requestedBy: opts.actor.userId, requestedByLabel: opts.who.label })
      .returning();
    await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: 'record.correction_requested', targetType: 'record_version', targetId: rec.versionId, after: { correctionId: row!.id, scope: opts.scope, subjects: row!.subjects, reason, version: rec.version, state } });
    return present(row!, rec);
  });
}

/** The grade sheets of the record's class for these subjects (both semesters, those that exist). */
async function sheetsOf(tx: Tx, classId: string | null, codes: string[]): Promise<Array<{ id: string; status: string }>> {
  if (!classId || codes.length === 0) return [];
  return tx
    .select({ id: gradeSheets.id, status: gradeSheets.status })
    .from(gradeSheets)
    .innerJoin(classSubjects, eq(classSubjects.id, gradeSheets.classSubjectId))
    .innerJoin(subjects, eq(subjects.id, classSubjects.subjectId))
    .where(and(eq(classSubjects.classId, classId), inArray(subjects.code, codes)));
}

/**
 * The principal approves or rejects. Approval reopens the named subjects' sheets of the
 * class (locked or past the deadline) with a sheet history entry; a request is decided once.
 */
export async function decideCorrection(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; correctionId: string; approve: boolean; note?: string | undefined; now?: Date }): Promise<CorrectionView> {
  if (!canDecideChanges(opts.actor)) throw new DomainError('forbidden');
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [req] = await tx.select().from(recordCorrections).where(eq(recordCorrections.id, opts.correctionId)).for('update');
    if (!req) throw new DomainError('not_found', { what: 'yêu cầu sửa học bạ / correction request' });
    if (req.status !== 'pending') throw new DomainError('correction.decided', { status: req.status });
    // Nobody approves their own request (a principal who also teaches).
    if (req.requestedBy === opts.actor.userId) throw new DomainError('forbidden');
    const rec = await loadRecord(tx, req.versionId, { lock: true });
    const next = await successorOf(tx, rec.versionId);
    if (opts.approve && next) throw new DomainError('correction.not_latest', { version: rec.version, latest: next.version });
    const note = opts.note?.normalize('NFC').trim() || null;
    const reopened: string[] = [];
    if (opts.approve) {
      for (const s of await sheetsOf(tx, rec.classId, req.subjects)) {
        const ctx = await loadSheetForWrite(tx, s.id);
        await tx.update(gradeSheets).set({ status: 'open', reopened: true, submittedAt: null, submittedBy: null }).where(eq(gradeSheets.id, s.id));
        await recordGradeEvent(tx, ctx, { actor: { userId: req.requestedBy, label: req.requestedByLabel }, action: 'unlocked', reason: `Sửa học bạ ${rec.snapshot.identity.fullName} (v${rec.version}): ${req.reason}${note ? ` — ${note}` : ''}`, approvedByLabel: opts.who.label });
        // A sheet its teacher had submitted must be submitted again before the re-freeze; one
        // that was never submitted (locked only by the deadline) just becomes editable.
        if (s.status === 'submitted') reopened.push(s.id);
      }
    }
    const [row] = await tx
      .update(recordCorrections)
      .set({ status: opts.approve ? 'approved' : 'rejected', decidedBy: opts.actor.userId, decidedByLabel: opts.who.label, decidedAt: opts.now ?? new Date(), decisionNote: note, reopenedSheetIds: reopened })
      .where(eq(recordCorrections.id, req.id))
      .returning();
    await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: opts.approve ? 'record.correction_approved' : 'record.correction_rejected', targetType: 'record_version', targetId: rec.versionId, before: { status: 'pending' }, after: { correctionId: req.id, status: row!.status, note, reopenedSheets: reopened } });
    return present(row!, rec);
  });
}

/**
 * Correction requests: the principal (and whole-school readers) see the school's, others their
 * own or their class's; `everyone` is for callers that already checked the record is readable.
 */
export async function listCorrections(opts: { db: Db; actor: ActorScope; schoolId: string; status?: CorrectionView['status'] | 'all'; versionIds?: string[]; everyone?: boolean }): Promise<CorrectionView[]> {
  if (opts.versionIds && opts.versionIds.length === 0) return [];
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const status = opts.status ?? 'all';
    const rows = await tx
      .select()
      .from(recordCorrections)
      .where(and(status === 'all' ? undefined : eq(recordCorrections.status, status), opts.versionIds ? inArray(recordCorrections.versionId, opts.versionIds) : undefined))
      .orderBy(desc(recordCorrections.requestedAt))
      .limit(500);
    if (rows.length === 0) return [];
    const versions = await tx.select().from(recordVersions).where(inArray(recordVersions.id, [...new Set(rows.map((r) => r.versionId))]));
    const recs = await loadRecords(tx, versions);
    const all = opts.everyone === true || hasPermission(opts.actor.roles, 'changes.decide') || hasPermission(opts.actor.roles, 'classes.read_all');
    return rows
      .map((r) => ({ r, rec: recs.find((x) => x.versionId === r.versionId)! }))
      .filter(({ r, rec }) => all || r.requestedBy === opts.actor.userId || rec.facts.homeroomTeacherId === opts.actor.userId || (rec.classId !== null && opts.actor.homeroomClassIds.has(rec.classId)))
      .map(({ r, rec }) => present(r, rec));
  });
}

export interface RefreezeDecision {
  /** Freeze a new version superseding the latest one. */
  refreeze: boolean;
  /** The approved correction it fulfils (null for a returned version re-frozen without one). */
  correctionId: string | null;
  /** Why it cannot be re-frozen yet (a reopened sheet not resubmitted). */
  blockers: Array<{ vi: string; en: string }>;
}

/**
 * Asked by freezeClass for a student's latest version: a returned version may always be
 * re-frozen; a sealed one only with an approved correction whose reopened sheets have all
 * been resubmitted; anything else is already frozen.
 */
export async function refreezeDecision(tx: Tx, latest: { id: string; state: string }): Promise<RefreezeDecision> {
  const none: RefreezeDecision = { refreeze: false, correctionId: null, blockers: [] };
  if (latest.state !== 'returned' && latest.state !== 'sealed') return none;
  const [c] = await tx.select().from(recordCorrections).where(and(eq(recordCorrections.versionId, latest.id), eq(recordCorrections.status, 'approved')));
  if (!c) return latest.state === 'returned' ? { refreeze: true, correctionId: null, blockers: [] } : none;
  const sheets = c.reopenedSheetIds.length
    ? await tx
        .select({ id: gradeSheets.id, status: gradeSheets.status, semester: gradeSheets.semester, subject: subjects.name })
        .from(gradeSheets)
        .innerJoin(classSubjects, eq(classSubjects.id, gradeSheets.classSubjectId))
        .innerJoin(subjects, eq(subjects.id, classSubjects.subjectId))
        .where(inArray(gradeSheets.id, c.reopenedSheetIds))
    : [];
  const open = sheets.filter((s) => s.status !== 'submitted');
  return {
    refreeze: open.length === 0,
    correctionId: c.id,
    blockers: open.map((s) => ({ vi: `Bảng điểm ${s.subject} HK${s.semester === 1 ? 'I' : 'II'} được mở lại để sửa chưa được nộp lại.`, en: `The ${s.subject} sheet of semester ${s.semester}, reopened for the correction, has not been resubmitted.` })),
  };
}

/**
 * Called by freezeClass right after it froze `newVersionId` to replace `oldVersionId`: marks
 * the correction fulfilled and carries forward the subject signatures over unchanged rows.
 */
export async function afterRefreeze(tx: Tx, o: { schoolId: string; oldVersionId: string; newVersionId: string; correctionId: string | null; who: Actor }): Promise<CarryResult> {
  if (o.correctionId) await tx.update(recordCorrections).set({ status: 'refrozen', newVersionId: o.newVersionId }).where(eq(recordCorrections.id, o.correctionId));
  return carryForwardSubjectSignatures(tx, o);
}

/** The state names shown for a version (re-exported for presenters). */
export const stateLabel = (s: string): string => RECORD_STATE_LABELS_VI[s as RecordState] ?? s;
