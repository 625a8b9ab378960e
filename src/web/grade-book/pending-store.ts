/**
 * Unsaved grade-book cells kept in localStorage, per person and sheet, so a closed tab,
 * a crash or a dropped connection loses nothing: the sheet re-sends them when reopened.
 */
import type { PendingCell } from './save-queue.ts';

const PREFIX = 'hocba.gradebook.unsaved';

export function pendingStorageKey(userId: string, sheetId: string): string {
  return `${PREFIX}.${userId}.${sheetId}`;
}

function isPendingCell(value: unknown): value is PendingCell {
  const cell = value as Partial<PendingCell> | null;
  return (
    typeof cell?.studentId === 'string' &&
    typeof cell.field === 'string' &&
    (cell.value === null || typeof cell.value === 'string') &&
    (cell.expected === null || typeof cell.expected === 'string')
  );
}

export function readPending(key: string): PendingCell[] {
  try {
    const raw = globalThis.localStorage?.getItem(key);
    if (!raw) return [];
    const parsed = JSON.parse(raw) as { cells?: unknown };
    return Array.isArray(parsed.cells) ? parsed.cells.filter(isPendingCell) : [];
  } catch {
    return [];
  }
}

export function writePending(key: string, cells: PendingCell[]): void {
  try {
    if (cells.length === 0) globalThis.localStorage?.removeItem(key);
    else globalThis.localStorage?.setItem(key, JSON.stringify({ v: 1, savedAt: new Date().toISOString(), cells }));
  } catch {
    // Storage full or disabled: the cells still live in memory and are retried from there.
  }
}
