/**
 * XLSX exchange of one grade sheet: export in the layout teachers use, and import back
 * all-or-nothing — every cell is validated and, if any is wrong, the full error list is
 * returned and nothing is written.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { schools, schoolYears } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { canEditSheet } from '../../domain/policies/grade-sheet.ts';
import { canTeachClassSubject, type ActorScope } from '../../domain/policies/permissions.ts';
import type { GradeSheetRow, SheetField } from '../../server/api-types.ts';
import type { Actor } from '../audit/append-audit.ts';
import { buildGradeSheetXlsx, parseGradeSheetXlsx, type SheetLayout } from './grade-sheet-xlsx.ts';
import { presentRow } from './present-sheet.ts';
import { recordGradeEvent } from './record-grade-event.ts';
import { validateCells, writeCells, type CellInput } from './save-cells.ts';
import { assertCanRead, loadSheet, loadSheetForWrite, type SheetContext } from './sheet-context.ts';
import type { Tx } from '../../db/scope.ts';
import { checkZip } from '../files/zip-guard.ts';

async function layoutOf(tx: Tx, ctx: SheetContext): Promise<SheetLayout> {
  const [school] = await tx.select({ name: schools.name }).from(schools);
  const [year] = await tx.select({ name: schoolYears.name }).from(schoolYears).where(eq(schoolYears.id, ctx.schoolYearId));
  return {
    schoolName: school?.name ?? '',
    schoolYear: year?.name ?? '',
    className: ctx.className,
    subjectName: ctx.subject.name,
    semester: ctx.sheet.semester as 1 | 2,
    assessment: ctx.subject.assessment,
    regularCount: ctx.regularCount,
  };
}

export async function exportSheetXlsx(opts: { db: Db; actor: ActorScope; schoolId: string; sheetId: string }): Promise<{ fileName: string; content: Buffer }> {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const ctx = await loadSheet(tx, opts.sheetId);
    await assertCanRead(tx, opts.actor, ctx);
    const layout = await layoutOf(tx, ctx);
    const rows = ctx.roster.map((s) => {
      const r = presentRow(ctx, s);
      return { studentCode: s.studentCode ?? '', fullName: s.fullName, regular: r.regular, midterm: r.midterm, final: r.final, average: r.average, comment: r.comment };
    });
    const content = await buildGradeSheetXlsx(layout, rows);
    return { fileName: `${ctx.className} - ${ctx.subject.name} - HK${ctx.sheet.semester}.xlsx`, content };
  });
}

export async function importSheetXlsx(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; sheetId: string; content: Buffer; lang: 'vi' | 'en' }): Promise<{ rows: GradeSheetRow[]; changed: number }> {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const ctx = await loadSheetForWrite(tx, opts.sheetId);
    if (!canTeachClassSubject(opts.actor, ctx.classSubjectId)) throw new DomainError('forbidden');
    if (!canEditSheet(opts.actor, ctx.classSubjectId, ctx.lock)) throw new DomainError('grade.locked', { reason: ctx.lock.reason ?? '' });
    const zip = checkZip(opts.content);
    if (!zip.ok && zip.reason !== 'not_zip') throw new DomainError('file.invalid', { reason: opts.lang === 'vi' ? 'tệp giải nén quá lớn' : 'the file expands too much' });
    const roster = ctx.roster.map((s) => ({ studentCode: s.studentCode ?? '', fullName: s.fullName }));
    const parsed = await parseGradeSheetXlsx(opts.content, await layoutOf(tx, ctx), roster);
    if (!parsed.ok) {
      throw new DomainError(
        'import.invalid',
        { count: parsed.errors.length },
        // The messages already name the row, column and value as a person reads them.
        parsed.errors.map((e) => ({ path: `row ${e.row}, ${e.column} (${e.header})`, message: e.message[opts.lang] })),
      );
    }
    const byCode = new Map(ctx.roster.map((s) => [s.studentCode ?? '', s.studentId]));
    const cells: CellInput[] = [];
    for (const row of parsed.rows) {
      const studentId = byCode.get(row.studentCode)!;
      const put = (field: SheetField, value: string | null, index?: number) => cells.push({ studentId, field, index, value });
      row.regular.forEach((v, i) => put('regular', v, i));
      put('midterm', row.midterm);
      put('final', row.final);
      put('comment', row.comment);
    }
    const changes = await writeCells(tx, ctx, validateCells(ctx, cells, opts.lang), opts.who.userId);
    if (changes.length) await recordGradeEvent(tx, ctx, { actor: opts.who, action: 'imported', changes });
    return { rows: ctx.roster.map((s) => presentRow(ctx, s)), changed: changes.length };
  });
}

