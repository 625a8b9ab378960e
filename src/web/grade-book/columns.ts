/**
 * The grade sheet's columns (TX1…TXn, GK, CK, ĐTBmhk, Nhận xét) and how a cell is named:
 * one key per (student, field, index), the same identity the save request uses.
 */
import type { GradeSheet, GradeSheetRow, SheetField } from '../../server/api-types.ts';

/** score: a 10-point mark; result: Đ / CĐ of a comment-only subject; text: the teacher's comment. */
export type CellKind = 'score' | 'result' | 'text';

export interface SheetColumn {
  /** Stable id used in test ids: tx1…txn, gk, ck, avg, comment. */
  id: string;
  /** Header as printed in the grade book: "TX1", "GK", "CK", "ĐTBmhk", "Nhận xét". */
  label: string;
  /** null for the computed average. */
  field: SheetField | null;
  index?: number;
  kind: CellKind | 'average';
}

export interface CellRef {
  studentId: string;
  field: SheetField;
  index?: number;
}

/** Labels are the Vietnamese abbreviations teachers know; the average label comes from the caller. */
export function sheetColumns(sheet: Pick<GradeSheet, 'regularCount' | 'subject'>, labels: { average: string; comment: string }): SheetColumn[] {
  const markKind: CellKind = sheet.subject.assessment === 'comment' ? 'result' : 'score';
  const columns: SheetColumn[] = [];
  for (let i = 0; i < sheet.regularCount; i++) {
    columns.push({ id: `tx${i + 1}`, label: `TX${i + 1}`, field: 'regular', index: i, kind: markKind });
  }
  columns.push({ id: 'gk', label: 'GK', field: 'midterm', kind: markKind });
  columns.push({ id: 'ck', label: 'CK', field: 'final', kind: markKind });
  columns.push({ id: 'avg', label: labels.average, field: null, kind: 'average' });
  columns.push({ id: 'comment', label: labels.comment, field: 'comment', kind: 'text' });
  return columns;
}

/** "studentId:field:index": the identity of one cell. */
export function cellKey(ref: CellRef): string {
  return `${ref.studentId}:${ref.field}:${ref.index ?? ''}`;
}

export function columnRef(studentId: string, column: SheetColumn): CellRef | null {
  if (!column.field) return null;
  return column.index === undefined ? { studentId, field: column.field } : { studentId, field: column.field, index: column.index };
}

/** The stored (canonical) value of a cell in a row from the server. */
export function rowValue(row: GradeSheetRow, field: SheetField, index?: number): string | null {
  switch (field) {
    case 'regular':
      return row.regular[index ?? 0] ?? null;
    case 'midterm':
      return row.midterm;
    case 'final':
      return row.final;
    case 'comment':
      return row.comment;
  }
}

/** The column label for a cell ("TX2", "GK"…), for messages naming cells. */
export function fieldLabel(field: SheetField, index: number | undefined, commentLabel: string): string {
  switch (field) {
    case 'regular':
      return `TX${(index ?? 0) + 1}`;
    case 'midterm':
      return 'GK';
    case 'final':
      return 'CK';
    case 'comment':
      return commentLabel;
  }
}
