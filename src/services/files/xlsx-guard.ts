/**
 * Refuses XLSX files whose worksheets address cells far outside any real import before the
 * spreadsheet library reads them: read-excel-file builds dense row arrays up to the highest
 * row and column a cell names, so one cell at row 10^308 (or "1e308") exhausts the heap
 * and stops the server for everyone (found by the fuzz tests, test/fuzz/parsers.test.ts).
 * Only worksheet XML is inflated; sizes were already bounded by zip-guard / read-table.
 */
import { unzipSync } from 'fflate';

export interface GridLimits {
  /** Highest row number a cell holding a value may have (1-based). */
  maxRows: number;
  /** Highest column number (A = 1) of a cell holding a value. */
  maxColumns: number;
}

/** Excel's own sheet size: an address beyond it is never a real spreadsheet. */
export const EXCEL_MAX_ROWS = 1_048_576;
export const EXCEL_MAX_COLUMNS = 16_384;

export type GridCheck = { ok: true; rows: number; columns: number } | { ok: false; reason: string };

const ROW_ATTR = /<(?:[A-Za-z_][\w.-]*:)?row\b[^>]*?\sr\s*=\s*(["'])(.*?)\1/g;
const CELL_ATTR = /<(?:[A-Za-z_][\w.-]*:)?c\b[^>]*?\sr\s*=\s*(["'])(.*?)\1/g;

function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/**
 * Checks every worksheet of an XLSX: each row and cell address must be well formed and
 * within `limits`. A file that is not a readable ZIP passes through (the reader refuses it
 * with its own message).
 */
export function checkXlsxGrid(file: Uint8Array, limits: GridLimits): GridCheck {
  let sheets: Record<string, Uint8Array>;
  try {
    sheets = unzipSync(file, { filter: (f) => /^xl\/worksheets\/[^/]+\.xml$/i.test(f.name) });
  } catch {
    return { ok: true, rows: 0, columns: 0 };
  }
  let rows = 0;
  let columns = 0;
  const decoder = new TextDecoder('utf-8', { fatal: false });
  for (const [name, bytes] of Object.entries(sheets)) {
    const xml = decoder.decode(bytes);
    for (const m of xml.matchAll(ROW_ATTR)) {
      const v = m[2]!;
      if (!/^\d{1,9}$/.test(v)) return { ok: false, reason: `${name}: row number "${v.slice(0, 20)}" is not a number` };
      const r = Number(v);
      // Empty formatted rows far down are normal (Excel keeps styled rows); only Excel's own limit applies.
      if (r < 1 || r > EXCEL_MAX_ROWS) return { ok: false, reason: `${name}: row ${r} is beyond Excel's ${EXCEL_MAX_ROWS} rows` };
    }
    for (const m of xml.matchAll(CELL_ATTR)) {
      const a = /^([A-Z]{1,3})(\d{1,9})$/.exec(m[2]!);
      if (!a) return { ok: false, reason: `${name}: cell address "${m[2]!.slice(0, 20)}" is not valid` };
      const r = Number(a[2]);
      const c = columnNumber(a[1]!);
      if (r < 1 || r > EXCEL_MAX_ROWS || c > EXCEL_MAX_COLUMNS) return { ok: false, reason: `${name}: cell ${m[2]} is outside an Excel sheet` };
      const end = xml.indexOf('>', m.index! + m[0].length);
      if (end < 0 || xml[end - 1] === '/') continue; // <c r="…"/>: an empty (styled) cell
      if (r > limits.maxRows) return { ok: false, reason: `${name}: cell ${m[2]} is beyond the ${limits.maxRows}-row limit` };
      if (c > limits.maxColumns) return { ok: false, reason: `${name}: cell ${m[2]} is beyond the ${limits.maxColumns}-column limit` };
      rows = Math.max(rows, r);
      columns = Math.max(columns, c);
    }
  }
  return { ok: true, rows, columns };
}
