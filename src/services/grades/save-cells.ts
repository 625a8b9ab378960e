/**
 * Saves grade-book cells, all or nothing: every value is validated by the Circular 22 mark
 * rules, every cell must belong to a student of the class, and each cell's `expected`
 * value must still be what is stored (otherwise another tab or person changed it: 409,
 * naming the cells). One history event and one audit entry per save.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, type Tx } from '../../db/scope.ts';
import { gradeEntries } from '../../db/schema.ts';
import { localizeAssessmentError } from '../../domain/assessment/errors.ts';
import { parseSheetValue } from '../../domain/assessment/sheet-values.ts';
import { DomainError, type ErrorDetail } from '../../domain/errors.ts';
import { canEditSheet, columnLabel } from '../../domain/policies/grade-sheet.ts';
import { canTeachClassSubject, type ActorScope } from '../../domain/policies/permissions.ts';
import type { GradeSheetRow, SheetField } from '../../server/api-types.ts';
import type { Actor } from '../audit/append-audit.ts';
import { presentRow } from './present-sheet.ts';
import { recordGradeEvent, type CellChange } from './record-grade-event.ts';
import { cellKey, loadSheetForWrite, type SheetContext } from './sheet-context.ts';

export const MAX_COMMENT_LENGTH = 500;

export interface CellInput {
  studentId: string;
  field: SheetField;
  index?: number | undefined;
  value: string | null;
  expected?: string | null | undefined;
}

/** Validates cells against a sheet; returns canonical values or throws `validation` with one detail per bad cell. */
export function validateCells(ctx: SheetContext, cells: CellInput[], lang: 'vi' | 'en'): Array<{ studentId: string; field: SheetField; idx: number; value: string | null }> {
  const onRoster = new Set(ctx.roster.map((s) => s.studentId));
  const details: ErrorDetail[] = [];
  const out = cells.map((c, i) => {
    const idx = c.field === 'regular' ? (c.index ?? -1) : 0;
    const path = `cells.${i}`;
    if (!onRoster.has(c.studentId)) details.push({ path, message: lang === 'vi' ? 'Học sinh không thuộc lớp này.' : 'The student is not in this class.' });
    if (c.field === 'regular' && (!Number.isInteger(idx) || idx < 0 || idx >= ctx.regularCount)) {
      details.push({ path, message: lang === 'vi' ? `Môn này có ${ctx.regularCount} cột TX.` : `This subject has ${ctx.regularCount} regular columns.` });
    }
    let value: string | null = c.value === null || c.value.trim() === '' ? null : c.value;
    if (value !== null && c.field === 'comment') {
      value = value.normalize('NFC').trim();
      if ([...value].length > MAX_COMMENT_LENGTH) details.push({ path, message: lang === 'vi' ? `Nhận xét tối đa ${MAX_COMMENT_LENGTH} ký tự.` : `Comments are at most ${MAX_COMMENT_LENGTH} characters.` });
    } else if (value !== null) {
      const r = parseSheetValue(ctx.subject.assessment, value);
      if (r.ok) value = r.value;
      else details.push({ path, message: localizeAssessmentError(r, lang) });
    }
    return { studentId: c.studentId, field: c.field, idx, value };
  });
  if (details.length) throw new DomainError('validation', { summary: details.map((d) => `${d.path}: ${d.message}`).join('; ') }, details);
  return out;
}

/** Writes validated values (null deletes) and returns the changes made. */
export async function writeCells(tx: Tx, ctx: SheetContext, cells: ReturnType<typeof validateCells>, userId: string | null): Promise<CellChange[]> {
  const names = new Map(ctx.roster.map((s) => [s.studentId, s.fullName]));
  const changes: CellChange[] = [];
  for (const c of cells) {
    const key = cellKey(c.studentId, c.field, c.idx);
    const old = ctx.entries.get(key) ?? null;
    if (old === c.value) continue;
    const where = and(eq(gradeEntries.sheetId, ctx.sheet.id), eq(gradeEntries.studentId, c.studentId), eq(gradeEntries.field, c.field), eq(gradeEntries.idx, c.idx));
    if (c.value === null) await tx.delete(gradeEntries).where(where);
    else if (old === null) await tx.insert(gradeEntries).values({ schoolId: ctx.sheet.schoolId, sheetId: ctx.sheet.id, studentId: c.studentId, field: c.field, idx: c.idx, value: c.value, updatedBy: userId });
    else await tx.update(gradeEntries).set({ value: c.value, updatedAt: new Date(), updatedBy: userId }).where(where);
    if (c.value === null) ctx.entries.delete(key);
    else ctx.entries.set(key, c.value);
    changes.push({ studentId: c.studentId, studentName: names.get(c.studentId) ?? '', column: columnLabel(c.field, c.idx), old, new: c.value });
  }
  return changes;
}

/** The client's `expected` in stored form ("8,5" → "8.5"), so a formatting difference is not a conflict. */
function canonicalExpected(ctx: SheetContext, field: SheetField, expected: string | null): string | null {
  if (expected === null || expected.trim() === '') return null;
  if (field === 'comment') return expected.normalize('NFC').trim();
  const r = parseSheetValue(ctx.subject.assessment, expected);
  return r.ok ? r.value : expected;
}

export async function saveCells(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; sheetId: string; cells: CellInput[]; lang: 'vi' | 'en' }): Promise<{ rows: GradeSheetRow[] }> {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const ctx = await loadSheetForWrite(tx, opts.sheetId);
    if (!canTeachClassSubject(opts.actor, ctx.classSubjectId)) throw new DomainError('forbidden');
    if (!canEditSheet(opts.actor, ctx.classSubjectId, ctx.lock)) throw new DomainError('grade.locked', { reason: ctx.lock.reason ?? '' });
    const cells = validateCells(ctx, opts.cells, opts.lang);
    const names = new Map(ctx.roster.map((s) => [s.studentId, s.fullName]));
    const conflicts: ErrorDetail[] = [];
    opts.cells.forEach((c, i) => {
      if (c.expected === undefined) return;
      const v = cells[i]!;
      const stored = ctx.entries.get(cellKey(v.studentId, v.field, v.idx)) ?? null;
      const expected = canonicalExpected(ctx, c.field, c.expected);
      if (stored !== expected && stored !== v.value) {
        conflicts.push({ path: `cells.${i}`, message: `${names.get(v.studentId)} – ${columnLabel(v.field, v.idx)}: ${stored ?? '∅'}` });
      }
    });
    if (conflicts.length) throw new DomainError('grade.conflict', { cells: conflicts.map((c) => c.message).join('; ') }, conflicts);
    const changes = await writeCells(tx, ctx, cells, opts.who.userId);
    if (changes.length) await recordGradeEvent(tx, ctx, { actor: opts.who, action: 'saved', changes });
    const touched = new Set(cells.map((c) => c.studentId));
    return { rows: ctx.roster.filter((s) => touched.has(s.studentId)).map((s) => presentRow(ctx, s)) };
  });
}
