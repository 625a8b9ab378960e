/** A block copied from Excel or Google Sheets: rows separated by newlines, cells by tabs. */

/**
 * Clipboard text → rows of cells. The trailing newline spreadsheets add is dropped; a
 * quoted cell ("a\nb", as Excel writes cells containing a newline or tab) keeps its content.
 */
export function parseClipboardTable(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  const normalized = text.replace(/\r\n?/g, '\n');
  while (i < normalized.length) {
    const ch = normalized[i]!;
    if (quoted) {
      if (ch === '"' && normalized[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else cell += ch;
      i += 1;
      continue;
    }
    if (ch === '"' && cell === '') quoted = true;
    else if (ch === '\t') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
    i += 1;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** True when pasted text is a block (more than one cell) rather than a value for one cell. */
export function isBlock(text: string): boolean {
  return /[\t\n\r]/.test(text.replace(/[\r\n]+$/, ''));
}
