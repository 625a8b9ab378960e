/**
 * Save-as-you-go for the grade sheet: edited cells wait a moment (debounce) and go to the
 * server in one all-or-nothing batch, each with the value last seen from the server
 * (`expected`). Network failures and 5xx are retried with backoff; every unsaved cell is
 * mirrored to localStorage until the server confirms it. No React here: the hook
 * (use-grade-sheet.ts) turns the callbacks into state.
 */
import type { GradeSheetRow, SaveCellsResponse } from '../../server/api-types.ts';
import { ApiError } from '../api.ts';
import { cellKey, type CellRef } from './columns.ts';
import { writePending } from './pending-store.ts';

export interface PendingCell extends CellRef {
  /** Canonical value to store (null clears the cell). */
  value: string | null;
  /** The value last seen from the server. */
  expected: string | null;
}

export interface SaveQueueHandlers {
  send: (cells: PendingCell[], opts: { keepalive: boolean }) => Promise<SaveCellsResponse>;
  onSaved: (rows: GradeSheetRow[], cells: PendingCell[]) => void;
  /** 409 grade.conflict: the queue pauses until `rebase()` after a reload. */
  onConflict: (error: ApiError, cells: PendingCell[]) => void;
  /** 400 with details naming cells: those cells are dropped from the queue. */
  onInvalid: (problems: Array<{ cell: PendingCell; message: string }>) => void;
  /** Any other refusal (locked sheet, no permission…): the queue pauses. */
  onFailed: (error: ApiError) => void;
  onChange: () => void;
}

export interface SaveQueueStatus {
  saving: boolean;
  /** Cells not yet confirmed by the server (waiting, in flight or failed). */
  unsaved: number;
  /** When the next retry happens (ms since epoch), after a network failure or 5xx. */
  retryAt: number | null;
  paused: 'conflict' | 'error' | null;
  lastError: ApiError | null;
}

const MAX_BACKOFF_MS = 30_000;

function retryable(error: ApiError): boolean {
  return error.status === 0 || error.status >= 500 || error.status === 408 || error.status === 429;
}

export class CellSaveQueue {
  private readonly pending = new Map<string, PendingCell>();
  private inFlight: Map<string, PendingCell> | null = null;
  private debounceTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private retryAt: number | null = null;
  private paused: SaveQueueStatus['paused'] = null;
  private lastError: ApiError | null = null;
  private disposed = false;

  constructor(
    private readonly storageKey: string | null,
    private readonly handlers: SaveQueueHandlers,
    private readonly debounceMs = 600,
  ) {}

  /** Queue an edit; an edit back to the server's value cancels the waiting one. */
  set(cell: PendingCell): void {
    const key = cellKey(cell);
    const flying = this.inFlight?.get(key);
    // While a save of this cell is in flight, compare against what that save will store.
    const baseline = flying ? flying.value : cell.expected;
    if (cell.value === baseline) this.pending.delete(key);
    else this.pending.set(key, flying ? { ...cell, expected: flying.value } : cell);
    this.changed();
    this.flushSoon();
  }

  /** Drop a waiting edit of one cell (it was replaced by text that failed validation). */
  cancel(key: string): void {
    if (this.pending.delete(key)) this.changed();
  }

  /** The value waiting or in flight for a cell (what the grid shows), if any. */
  get(key: string): PendingCell | undefined {
    return this.pending.get(key) ?? this.inFlight?.get(key);
  }

  isInFlight(key: string): boolean {
    return !this.pending.has(key) && (this.inFlight?.has(key) ?? false);
  }

  /** Every unsaved cell (waiting ones win over in-flight ones of the same cell). */
  unsaved(): PendingCell[] {
    const all = new Map(this.inFlight ?? []);
    for (const [key, cell] of this.pending) all.set(key, cell);
    return [...all.values()];
  }

  status(): SaveQueueStatus {
    return {
      saving: this.inFlight !== null,
      unsaved: this.unsaved().length,
      retryAt: this.retryAt,
      paused: this.paused,
      lastError: this.lastError,
    };
  }

  /** Save after the debounce delay (restarted by each edit). */
  flushSoon(): void {
    if (this.disposed || this.paused) return;
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    this.debounceTimer = setTimeout(() => void this.flush(), this.debounceMs);
  }

  /** Save now (blur, page hide, retry); `keepalive` lets the request outlive a closing tab. */
  async flush(opts: { keepalive?: boolean } = {}): Promise<void> {
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    this.debounceTimer = null;
    if (this.disposed || this.paused || this.inFlight || this.pending.size === 0) return;
    if (this.retryTimer && !opts.keepalive) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    const batch = new Map(this.pending);
    this.pending.clear();
    this.inFlight = batch;
    this.retryAt = null;
    this.changed();
    const cells = [...batch.values()];
    try {
      const response = await this.handlers.send(cells, { keepalive: opts.keepalive ?? false });
      this.inFlight = null;
      this.attempt = 0;
      this.lastError = null;
      // Edits made while this batch flew now build on what it stored.
      for (const cell of cells) {
        const newer = this.pending.get(cellKey(cell));
        if (!newer) continue;
        if (newer.value === cell.value) this.pending.delete(cellKey(cell));
        else newer.expected = cell.value;
      }
      this.handlers.onSaved(response.rows, cells);
      this.changed();
      if (this.pending.size > 0) void this.flush();
    } catch (caught) {
      const error = caught instanceof ApiError ? caught : new ApiError(0, { code: 'client', message: String(caught) });
      this.inFlight = null;
      this.lastError = error;
      this.handleFailure(error, cells);
    }
  }

  /** After reloading the sheet: drop cells the server already has, and cells someone else changed (the server wins). */
  rebase(serverValue: (cell: CellRef) => string | null): PendingCell[] {
    const dropped: PendingCell[] = [];
    for (const [key, cell] of this.pending) {
      const current = serverValue(cell);
      if (current === cell.value) this.pending.delete(key);
      else if (current !== cell.expected) {
        this.pending.delete(key);
        dropped.push(cell);
      }
    }
    this.paused = null;
    this.lastError = null;
    this.attempt = 0;
    this.changed();
    this.flushSoon();
    return dropped;
  }

  /** Forget every unsaved cell (the person chose to discard them). */
  discardAll(): void {
    this.pending.clear();
    this.paused = null;
    this.lastError = null;
    this.changed();
  }

  /** Retry a paused or waiting queue now. */
  resume(): void {
    this.paused = null;
    this.attempt = 0;
    void this.flush();
  }

  dispose(): void {
    this.disposed = true;
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }

  private handleFailure(error: ApiError, cells: PendingCell[]): void {
    if (error.code === 'validation' && error.status === 400) {
      const problems = (error.details ?? []).flatMap((detail) => {
        const match = /^cells\.(\d+)/.exec(detail.path);
        const cell = match ? cells[Number(match[1])] : undefined;
        return cell ? [{ cell, message: detail.message }] : [];
      });
      if (problems.length > 0) {
        const refused = new Set(problems.map((p) => cellKey(p.cell)));
        this.requeue(cells.filter((cell) => !refused.has(cellKey(cell))));
        this.handlers.onInvalid(problems);
        this.changed();
        this.flushSoon();
        return;
      }
    }
    this.requeue(cells);
    if (error.code === 'grade.conflict' || error.status === 409) {
      this.paused = 'conflict';
      this.handlers.onConflict(error, cells);
    } else if (retryable(error)) {
      this.attempt += 1;
      const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (this.attempt - 1));
      this.retryAt = Date.now() + delay;
      if (this.retryTimer) clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        void this.flush();
      }, delay);
    } else {
      this.paused = 'error';
      this.handlers.onFailed(error);
    }
    this.changed();
  }

  /** Put failed cells back unless a newer edit of the same cell is already waiting. */
  private requeue(cells: PendingCell[]): void {
    for (const cell of cells) {
      const key = cellKey(cell);
      const newer = this.pending.get(key);
      if (newer) newer.expected = cell.expected;
      else this.pending.set(key, cell);
    }
  }

  private changed(): void {
    if (this.storageKey) writePending(this.storageKey, this.unsaved());
    if (!this.disposed) this.handlers.onChange();
  }
}
