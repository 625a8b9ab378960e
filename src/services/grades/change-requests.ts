/**
 * Change requests for locked sheets (DESIGN.md: changing a locked mark needs a written
 * reason, optionally the scanned letter, and the principal's approval; unlocking a whole
 * sheet works the same way). Approval applies the change in the same transaction.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, type Tx } from '../../db/scope.ts';
import { changeRequests, classes, classSubjects, files, gradeSheets, students, subjects } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { canDecideChanges, columnLabel } from '../../domain/policies/grade-sheet.ts';
import { canTeachClassSubject, type ActorScope } from '../../domain/policies/permissions.ts';
import type { ChangeRequestView, SheetField } from '../../server/api-types.ts';
import type { Actor } from '../audit/append-audit.ts';
import { recordGradeEvent } from './record-grade-event.ts';
import { validateCells, writeCells, type CellInput } from './save-cells.ts';
import { cellKey, loadSheet, loadSheetForWrite } from './sheet-context.ts';

const rosterNames = (ctx: Awaited<ReturnType<typeof loadSheet>>) => new Map(ctx.roster.map((s) => [s.studentId, s.fullName]));

interface StoredCell {
  studentId: string;
  field: SheetField;
  index: number;
  old: string | null;
  new: string | null;
}

export async function createChangeRequest(opts: {
  db: Db;
  actor: ActorScope;
  who: Actor;
  schoolId: string;
  sheetId: string;
  kind: 'values' | 'unlock';
  reason: string;
  cells?: CellInput[] | undefined;
  attachmentId?: string | undefined;
  lang: 'vi' | 'en';
}): Promise<ChangeRequestView> {
  const reason = opts.reason.normalize('NFC').trim();
  if (reason.length < 5) throw new DomainError('validation', { summary: 'reason' }, [{ path: 'reason', message: opts.lang === 'vi' ? 'Hãy ghi rõ lý do (ít nhất 5 ký tự).' : 'Give the reason (at least 5 characters).' }]);
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const ctx = await loadSheet(tx, opts.sheetId);
    if (!canTeachClassSubject(opts.actor, ctx.classSubjectId)) throw new DomainError('forbidden');
    if (!ctx.lock.locked) throw new DomainError('grade.not_locked');
    let stored: StoredCell[] = [];
    if (opts.kind === 'values') {
      // A submitted sheet is complete: a request may change marks, never remove them.
      const removes = (opts.cells ?? []).findIndex((c) => c.field !== 'comment' && (c.value === null || c.value.trim() === ''));
      if (removes >= 0) throw new DomainError('validation', { summary: `cells.${removes}` }, [{ path: `cells.${removes}`, message: opts.lang === 'vi' ? 'Đề nghị sửa điểm phải có điểm mới.' : 'A change request needs the new mark.' }]);
      if (!opts.cells?.length) throw new DomainError('validation', { summary: 'cells' }, [{ path: 'cells', message: opts.lang === 'vi' ? 'Chọn ít nhất một ô cần sửa.' : 'Choose at least one cell to change.' }]);
      stored = validateCells(ctx, opts.cells, opts.lang).map((c) => ({ studentId: c.studentId, field: c.field, index: c.idx, old: ctx.entries.get(cellKey(c.studentId, c.field, c.idx)) ?? null, new: c.value }));
    }
    if (opts.attachmentId) {
      // Only one's own upload can be attached: ids of other people's files grant nothing.
      const [f] = await tx.select({ id: files.id }).from(files).where(and(eq(files.id, opts.attachmentId), eq(files.uploadedBy, opts.actor.userId)));
      if (!f) throw new DomainError('not_found', { what: 'tệp đính kèm / attachment' });
    }
    const [req] = await tx
      .insert(changeRequests)
      .values({ schoolId: ctx.sheet.schoolId, sheetId: ctx.sheet.id, kind: opts.kind, reason, cells: stored, attachmentId: opts.attachmentId ?? null, requestedBy: opts.who.userId ?? '', requestedByLabel: opts.who.label })
      .returning();
    await recordGradeEvent(tx, ctx, { actor: opts.who, action: 'change_requested', reason, changes: describe(rosterNames(ctx), stored) });
    return (await presentRequests(tx, [req!.id]))[0]!;
  });
}

function describe(names: Map<string, string>, cells: StoredCell[]) {
  return cells.map((c) => ({ studentId: c.studentId, studentName: names.get(c.studentId) ?? '', column: columnLabel(c.field, c.index), old: c.old, new: c.new }));
}

export async function decideChangeRequest(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; requestId: string; approve: boolean; note?: string | undefined }): Promise<ChangeRequestView> {
  if (!canDecideChanges(opts.actor)) throw new DomainError('forbidden');
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [found] = await tx.select({ sheetId: changeRequests.sheetId }).from(changeRequests).where(eq(changeRequests.id, opts.requestId));
    if (!found) throw new DomainError('not_found', { what: 'đề nghị / request' });
    const ctx = await loadSheetForWrite(tx, found.sheetId);
    const [req] = await tx.select().from(changeRequests).where(eq(changeRequests.id, opts.requestId)).for('update');
    if (req!.status !== 'pending') throw new DomainError('grade.request_decided');
    // Nobody approves their own request (a principal who also teaches).
    if (req!.requestedBy === opts.who.userId) throw new DomainError('forbidden');
    const cells = req!.cells as StoredCell[];
    const note = opts.note?.normalize('NFC').trim() || null;
    let applied = cells;
    if (opts.approve) {
      if (req!.kind === 'unlock') {
        await tx.update(gradeSheets).set({ status: 'open', reopened: true, submittedAt: null, submittedBy: null }).where(eq(gradeSheets.id, ctx.sheet.id));
      } else {
        // The request was written against the values of its day: if any changed since
        // (another approved request, a reopened sheet), approving would overwrite newer marks.
        const stale = cells.filter((c) => (ctx.entries.get(cellKey(c.studentId, c.field, c.index)) ?? null) !== c.old);
        if (stale.length) {
          const names = rosterNames(ctx);
          throw new DomainError('grade.conflict', { cells: stale.map((c) => `${names.get(c.studentId) ?? c.studentId} – ${columnLabel(c.field, c.index)}`).join('; ') });
        }
        if (!ctx.lock.locked) throw new DomainError('grade.not_locked');
        const valid = validateCells(ctx, cells.map((c) => ({ studentId: c.studentId, field: c.field, index: c.index, value: c.new })), 'vi');
        const changes = await writeCells(tx, ctx, valid, req!.requestedBy);
        applied = changes.map((ch) => {
          const c = cells.find((x) => x.studentId === ch.studentId && columnLabel(x.field, x.index) === ch.column)!;
          return { ...c, old: ch.old, new: ch.new };
        });
      }
    }
    await tx
      .update(changeRequests)
      .set({ status: opts.approve ? 'approved' : 'rejected', decidedBy: opts.who.userId, decidedByLabel: opts.who.label, decidedAt: new Date(), decisionNote: note })
      .where(eq(changeRequests.id, req!.id));
    await recordGradeEvent(tx, ctx, {
      actor: { userId: req!.requestedBy, label: req!.requestedByLabel },
      action: opts.approve ? (req!.kind === 'unlock' ? 'unlocked' : 'change_approved') : 'change_rejected',
      reason: note ? `${req!.reason} — ${note}` : req!.reason,
      approvedByLabel: opts.who.label,
      changes: describe(rosterNames(ctx), applied),
    });
    return (await presentRequests(tx, [req!.id]))[0]!;
  });
}

/** Requests of the school (deciders) or one's own (teachers), newest first. */
export async function listChangeRequests(opts: { db: Db; actor: ActorScope; schoolId: string; status: 'pending' | 'approved' | 'rejected' | 'all' }): Promise<ChangeRequestView[]> {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const rows = await tx
      .select({ id: changeRequests.id })
      .from(changeRequests)
      .where(
        and(
          opts.status === 'all' ? undefined : eq(changeRequests.status, opts.status),
          canDecideChanges(opts.actor) || opts.actor.roles.has('vice_principal') ? undefined : eq(changeRequests.requestedBy, opts.actor.userId),
        ),
      )
      .orderBy(desc(changeRequests.requestedAt))
      .limit(500);
    return presentRequests(tx, rows.map((r) => r.id));
  });
}

async function presentRequests(tx: Tx, ids: string[]): Promise<ChangeRequestView[]> {
  if (!ids.length) return [];
  const rows = await tx
    .select({ r: changeRequests, classSubjectId: gradeSheets.classSubjectId, className: classes.name, subjectName: subjects.name, semester: gradeSheets.semester, fileName: files.name, fileMime: files.mime })
    .from(changeRequests)
    .innerJoin(gradeSheets, eq(gradeSheets.id, changeRequests.sheetId))
    .innerJoin(classSubjects, eq(classSubjects.id, gradeSheets.classSubjectId))
    .innerJoin(classes, eq(classes.id, classSubjects.classId))
    .innerJoin(subjects, eq(subjects.id, classSubjects.subjectId))
    .leftJoin(files, eq(files.id, changeRequests.attachmentId))
    .where(inArray(changeRequests.id, ids));
  const byId = new Map(rows.map((x) => [x.r.id, x]));
  const studentIds = [...new Set(rows.flatMap((x) => (x.r.cells as StoredCell[]).map((c) => c.studentId)))];
  const names = new Map(
    studentIds.length ? (await tx.select({ id: students.id, name: students.fullName }).from(students).where(inArray(students.id, studentIds))).map((s) => [s.id, s.name]) : [],
  );
  const out: ChangeRequestView[] = [];
  for (const id of ids) {
    const x = byId.get(id);
    if (!x) continue;
    out.push({
      id: x.r.id,
      sheetId: x.r.sheetId,
      classSubjectId: x.classSubjectId,
      className: x.className,
      subjectName: x.subjectName,
      semester: x.semester as 1 | 2,
      kind: x.r.kind === 'unlock' ? 'unlock' : 'values',
      reason: x.r.reason,
      status: x.r.status as ChangeRequestView['status'],
      requestedBy: x.r.requestedByLabel,
      requestedAt: x.r.requestedAt.toISOString(),
      decidedBy: x.r.decidedByLabel,
      decidedAt: x.r.decidedAt?.toISOString() ?? null,
      decisionNote: x.r.decisionNote,
      attachment: x.r.attachmentId ? { id: x.r.attachmentId, name: x.fileName ?? '', mime: x.fileMime ?? '' } : null,
      changes: describe(names, x.r.cells as StoredCell[]),
    });
  }
  return out;
}
