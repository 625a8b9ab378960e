/**
 * State of one open grade sheet: the rows last seen from the server, the cells waiting to
 * be saved (CellSaveQueue), cells refused by validation, conflicts and failures.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { GradeSheet, GradeSheetRow, Semester } from '../../server/api-types.ts';
import { api, ApiError } from '../api.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSignedInSession } from '../session/session-context.tsx';
import { parseCellInput } from './cell-values.ts';
import { cellKey, columnRef, rowValue, type CellRef, type SheetColumn } from './columns.ts';
import { localAverage } from './local-average.ts';
import { pendingStorageKey, readPending, writePending } from './pending-store.ts';
import { CellSaveQueue, type PendingCell, type SaveQueueStatus } from './save-queue.ts';

export interface InvalidCell {
  text: string;
  message: string;
}

export interface CellView {
  /** Canonical value shown (waiting edit, else the server's). */
  value: string | null;
  /** Text typed that failed validation (shown instead of the value). */
  invalid: InvalidCell | null;
  state: 'saved' | 'unsaved' | 'saving';
}

export interface GradeSheetState {
  sheet: GradeSheet | null;
  error: ApiError | null;
  loading: boolean;
  status: SaveQueueStatus;
  invalid: ReadonlyMap<string, InvalidCell>;
  conflict: ApiError | null;
  failure: ApiError | null;
  /** Cells restored from this device after the sheet was closed with unsaved edits. */
  restored: number;
  /** Unsaved cells from this device that cannot be sent any more (the sheet is locked). */
  stranded: PendingCell[];
  cell: (row: GradeSheetRow, column: SheetColumn) => CellView;
  /** ĐTBmhk to show: the server's, or a local estimate while edits are unsaved. */
  average: (row: GradeSheetRow) => { value: string | null; estimate: boolean };
  commit: (row: GradeSheetRow, column: SheetColumn, text: string) => void;
  flush: (opts?: { keepalive?: boolean }) => Promise<void>;
  /** Save everything now and wait; true when nothing is left unsaved or invalid. */
  saveAll: () => Promise<boolean>;
  reload: () => Promise<void>;
  replaceRows: (rows: GradeSheetRow[]) => void;
  replaceSheet: (sheet: GradeSheet) => void;
  discardStranded: () => void;
  retry: () => void;
}

function mergeRows(current: GradeSheetRow[], updates: GradeSheetRow[]): GradeSheetRow[] {
  const byId = new Map(updates.map((row) => [row.studentId, row]));
  return current.map((row) => byId.get(row.studentId) ?? row);
}

function valueIn(rows: GradeSheetRow[], ref: CellRef): string | null {
  const row = rows.find((r) => r.studentId === ref.studentId);
  return row ? rowValue(row, ref.field, ref.index) : null;
}

export function useGradeSheet(classSubjectId: string, semester: Semester, messages: { tooLong: string }): GradeSheetState {
  const { locale } = useLocale();
  const session = useSignedInSession();
  const [sheet, setSheet] = useState<GradeSheet | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [invalid, setInvalid] = useState<Map<string, InvalidCell>>(new Map());
  const invalidRef = useRef(invalid);
  invalidRef.current = invalid;
  const [conflict, setConflict] = useState<ApiError | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [restored, setRestored] = useState(0);
  const [stranded, setStranded] = useState<PendingCell[]>([]);
  const [, setTick] = useState(0);
  const queueRef = useRef<CellSaveQueue | null>(null);
  const sheetRef = useRef<GradeSheet | null>(null);
  sheetRef.current = sheet;

  const load = useCallback(async () => {
    const fresh = await api.gradeSheet(classSubjectId, semester);
    setSheet(fresh);
    return fresh;
  }, [classSubjectId, semester]);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    setError(null);
    api
      .gradeSheet(classSubjectId, semester)
      .then((fresh) => {
        if (!cancelled) setSheet(fresh);
      })
      .catch((caught: unknown) => {
        if (!cancelled) setError(caught instanceof ApiError ? caught : new ApiError(0, { code: 'client', message: String(caught) }));
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [classSubjectId, semester]);

  // One queue per sheet: restore what this device could not save last time, then keep saving.
  const sheetId = sheet?.id ?? null;
  const editable = sheet?.can.edit === true && !sheet.locked;
  useEffect(() => {
    if (!sheetId) return;
    const storageKey = pendingStorageKey(session.user.id, sheetId);
    const stored = readPending(storageKey);
    const rows = sheetRef.current?.rows ?? [];
    if (!editable) {
      setStranded(stored.filter((cell) => valueIn(rows, cell) !== cell.value));
      return;
    }
    const queue = new CellSaveQueue(storageKey, {
      send: (cells, opts) =>
        api.saveCells(
          sheetId,
          { cells: cells.map(({ studentId, field, index, value, expected }) => ({ studentId, field, index, value, expected })) },
          opts,
        ),
      onSaved: (updated) => {
        setSheet((current) => (current ? { ...current, rows: mergeRows(current.rows, updated), complete: current.complete } : current));
        setFailure(null);
      },
      onConflict: (caught) => setConflict(caught),
      onInvalid: (problems) =>
        setInvalid((current) => {
          const next = new Map(current);
          for (const { cell, message } of problems) next.set(cellKey(cell), { text: cell.value ?? '', message });
          return next;
        }),
      onFailed: (caught) => setFailure(caught),
      onChange: () => setTick((n) => n + 1),
    });
    queueRef.current = queue;
    let count = 0;
    for (const cell of stored) {
      if (valueIn(rows, cell) === cell.value) continue;
      queue.set(cell);
      count += 1;
    }
    setRestored(count);
    if (count > 0) void queue.flush();
    return () => {
      queue.dispose();
      if (queueRef.current === queue) queueRef.current = null;
    };
  }, [sheetId, editable, session.user.id]);

  // Save at once when the page is hidden or closed, and when the connection comes back.
  useEffect(() => {
    const hide = () => void queueRef.current?.flush({ keepalive: true });
    const visibility = () => {
      if (document.visibilityState === 'hidden') hide();
    };
    const online = () => queueRef.current?.status().retryAt && void queueRef.current.flush();
    window.addEventListener('pagehide', hide);
    document.addEventListener('visibilitychange', visibility);
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('pagehide', hide);
      document.removeEventListener('visibilitychange', visibility);
      window.removeEventListener('online', online);
    };
  }, []);

  const cell = useCallback(
    (row: GradeSheetRow, column: SheetColumn): CellView => {
      const ref = columnRef(row.studentId, column);
      if (!ref) return { value: null, invalid: null, state: 'saved' };
      const key = cellKey(ref);
      const waiting = queueRef.current?.get(key);
      return {
        value: waiting ? waiting.value : rowValue(row, ref.field, ref.index),
        invalid: invalid.get(key) ?? null,
        state: waiting ? (queueRef.current?.isInFlight(key) ? 'saving' : 'unsaved') : 'saved',
      };
    },
    [invalid],
  );

  const average = useCallback(
    (row: GradeSheetRow) => {
      const queue = queueRef.current;
      const current = sheetRef.current;
      if (!queue || !current) return { value: row.average, estimate: false };
      const waiting = (field: 'regular' | 'midterm' | 'final', index?: number) =>
        queue.get(cellKey({ studentId: row.studentId, field, index }));
      const touched =
        row.regular.some((_, i) => waiting('regular', i)) || waiting('midterm') !== undefined || waiting('final') !== undefined;
      if (!touched) return { value: row.average, estimate: false };
      const pick = (field: 'regular' | 'midterm' | 'final', index?: number) => {
        const w = waiting(field, index);
        return w ? w.value : rowValue(row, field, index);
      };
      const marks = {
        regular: Array.from({ length: current.regularCount }, (_, i) => pick('regular', i)),
        midterm: pick('midterm'),
        final: pick('final'),
      };
      return { value: localAverage(current, marks), estimate: true };
    },
    // Re-evaluated on every render: the queue is mutable and the tick re-renders.
    [],
  );

  const commit = useCallback(
    (row: GradeSheetRow, column: SheetColumn, text: string) => {
      const ref = columnRef(row.studentId, column);
      const queue = queueRef.current;
      if (!ref || column.kind === 'average' || !queue) return;
      const key = cellKey(ref);
      const parsed = parseCellInput(column.kind, text, locale, messages);
      if (!parsed.ok) {
        queue.cancel(key);
        setInvalid((current) => new Map(current).set(key, { text, message: parsed.message }));
        return;
      }
      setInvalid((current) => {
        if (!current.has(key)) return current;
        const next = new Map(current);
        next.delete(key);
        return next;
      });
      queue.set({ ...ref, value: parsed.value, expected: rowValue(row, ref.field, ref.index) });
    },
    [locale, messages],
  );

  const reload = useCallback(async () => {
    try {
      const fresh = await load();
      setConflict(null);
      setFailure(null);
      queueRef.current?.rebase((ref) => valueIn(fresh.rows, ref));
    } catch (caught) {
      setFailure(caught instanceof ApiError ? caught : new ApiError(0, { code: 'client', message: String(caught) }));
    }
  }, [load]);

  const flush = useCallback(async (opts?: { keepalive?: boolean }) => {
    await queueRef.current?.flush(opts);
  }, []);

  const saveAll = useCallback(async () => {
    const queue = queueRef.current;
    if (!queue) return true;
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      await queue.flush();
      const now = queue.status();
      if (now.unsaved === 0) return invalidRef.current.size === 0;
      if (now.paused || now.retryAt) return false;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  }, []);

  const replaceRows = useCallback((rows: GradeSheetRow[]) => {
    setSheet((current) => (current ? { ...current, rows: mergeRows(current.rows, rows) } : current));
  }, []);

  const discardStranded = useCallback(() => {
    if (sheetId) writePending(pendingStorageKey(session.user.id, sheetId), []);
    setStranded([]);
  }, [sheetId, session.user.id]);

  const retry = useCallback(() => {
    setFailure(null);
    queueRef.current?.resume();
  }, []);

  const status = queueRef.current?.status() ?? { saving: false, unsaved: 0, retryAt: null, paused: null, lastError: null };
  return useMemo(
    () => ({
      sheet,
      error,
      loading,
      status,
      invalid,
      conflict,
      failure,
      restored,
      stranded,
      cell,
      average,
      commit,
      flush,
      saveAll,
      reload,
      replaceRows,
      replaceSheet: setSheet,
      discardStranded,
      retry,
    }),
    // status is a fresh object each render on purpose (the queue is mutable).
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [sheet, error, loading, status, invalid, conflict, failure, restored, stranded, cell, average, commit, flush, saveAll, reload, replaceRows, discardStranded, retry],
  );
}
