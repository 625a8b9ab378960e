/** Where the active cell of the grade grid goes for each key, like a spreadsheet. */

export interface GridPosition {
  row: number;
  col: number;
}

export type GridMove = 'up' | 'down' | 'left' | 'right' | 'next' | 'previous' | 'home' | 'end';

/** The position after a move, clamped to the grid; next/previous (Tab) wrap to the next/previous row. */
export function moveActive(pos: GridPosition, move: GridMove, rows: number, cols: number): GridPosition {
  const clampRow = (row: number) => Math.max(0, Math.min(rows - 1, row));
  const clampCol = (col: number) => Math.max(0, Math.min(cols - 1, col));
  switch (move) {
    case 'up':
      return { row: clampRow(pos.row - 1), col: pos.col };
    case 'down':
      return { row: clampRow(pos.row + 1), col: pos.col };
    case 'left':
      return { row: pos.row, col: clampCol(pos.col - 1) };
    case 'right':
      return { row: pos.row, col: clampCol(pos.col + 1) };
    case 'home':
      return { row: pos.row, col: 0 };
    case 'end':
      return { row: pos.row, col: cols - 1 };
    case 'next':
      if (pos.col < cols - 1) return { row: pos.row, col: pos.col + 1 };
      return pos.row < rows - 1 ? { row: pos.row + 1, col: 0 } : pos;
    case 'previous':
      if (pos.col > 0) return { row: pos.row, col: pos.col - 1 };
      return pos.row > 0 ? { row: pos.row - 1, col: cols - 1 } : pos;
  }
}
