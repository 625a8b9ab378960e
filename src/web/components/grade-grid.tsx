/**
 * The grade sheet as a spreadsheet: one row per student (STT, Mã HS, Họ và tên), then
 * TX1…TXn, GK, CK, ĐTBmhk and Nhận xét. Arrow keys, Enter and Tab move; typing edits;
 * Escape cancels; Delete clears; a block pasted from Excel fills from the active cell.
 * The first columns stay put while the marks scroll sideways (phones).
 */
import { useRef, useState } from 'react';
import type { GradeSheetRow } from '../../server/api-types.ts';
import { displayCell } from '../grade-book/cell-values.ts';
import type { SheetColumn } from '../grade-book/columns.ts';
import { moveActive, type GridMove, type GridPosition } from '../grade-book/grid-navigation.ts';
import type { CellView } from '../grade-book/use-grade-sheet.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { GradeCellEditor, type EditMode } from './grade-cell-editor.tsx';

interface GradeGridProps {
  rows: GradeSheetRow[];
  columns: SheetColumn[];
  readOnly: boolean;
  cell: (row: GradeSheetRow, column: SheetColumn) => CellView;
  average: (row: GradeSheetRow) => { value: string | null; estimate: boolean };
  onCommit: (row: GradeSheetRow, column: SheetColumn, text: string) => void;
  /** A pasted block: rows of texts starting at (row, col). */
  onPasteBlock: (row: number, col: number, block: string[][]) => void;
  /** Focus left the grid: a good moment to save. */
  onLeave: () => void;
  active: GridPosition | null;
  onActiveChange: (pos: GridPosition) => void;
}

export function GradeGrid(props: GradeGridProps) {
  const { rows, columns, readOnly, cell, average, onCommit, onPasteBlock, onLeave, active, onActiveChange } = props;
  const { t, locale } = useLocale();
  const wrapper = useRef<HTMLDivElement>(null);
  const commitRef = useRef<(() => void) | null>(null);
  const [startMode, setStartMode] = useState<EditMode>('nav');

  const activate = (pos: GridPosition, mode: EditMode = 'nav') => {
    if (active && active.row === pos.row && active.col === pos.col) return;
    commitRef.current?.();
    setStartMode(mode);
    onActiveChange(pos);
  };
  const move = (from: GridPosition, how: GridMove) => activate(moveActive(from, how, rows.length, columns.length));

  return (
    <div
      ref={wrapper}
      className="hb-grid-wrap"
      data-testid="grade-grid"
      tabIndex={active ? -1 : 0}
      onFocus={(event) => {
        if (event.target === wrapper.current && !active && rows.length > 0) activate({ row: 0, col: 0 });
      }}
    >
      <table className="hb-grid" role="grid" aria-readonly={readOnly}>
        <thead>
          <tr>
            <th className="hb-sticky hb-col-stt">{t('grades.col.index')}</th>
            <th className="hb-sticky hb-col-code">{t('grades.col.code')}</th>
            <th className="hb-sticky hb-col-name">{t('grades.col.name')}</th>
            {columns.map((column) => (
              <th key={column.id} className={`hb-col-${column.kind}`} data-testid={`col-${column.id}`}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={row.studentId} data-testid={`grade-row-${r}`} data-student={row.studentId}>
              <td className="hb-sticky hb-col-stt">{r + 1}</td>
              <td className="hb-sticky hb-col-code">{row.studentCode ?? ''}</td>
              <td className="hb-sticky hb-col-name" title={row.fullName}>
                {row.fullName}
              </td>
              {columns.map((column, c) => {
                const isActive = active?.row === r && active.col === c;
                const testId = `cell-${r}-${column.id}`;
                let text: string;
                let classes = `hb-cell hb-col-${column.kind}`;
                let message: string | undefined;
                let hint: string | undefined;
                if (column.kind === 'average') {
                  const avg = average(row);
                  text = displayCell('average', avg.value, locale);
                  if (!text && row.exempt === 'whole_subject') text = t('grades.exempt.whole_subject');
                  if (row.exempt) hint = t(`grades.exemptTitle.${row.exempt}`);
                  else if (avg.estimate) hint = t('grades.estimate');
                  else if (!avg.value && row.missing.length > 0) hint = t('grades.missing', { list: row.missing.join(', ') });
                  classes += avg.estimate ? ' hb-cell-estimate' : '';
                } else {
                  const view = cell(row, column);
                  text = view.invalid ? view.invalid.text : displayCell(column.kind, view.value, locale);
                  if (view.invalid) {
                    classes += ' hb-cell-invalid';
                    message = view.invalid.message;
                  } else if (view.state !== 'saved') classes += ` hb-cell-${view.state}`;
                }
                if (isActive) classes += ' hb-cell-active';
                const cellReadOnly = readOnly || column.kind === 'average';
                return (
                  <td
                    key={column.id}
                    className={classes}
                    data-testid={testId}
                    data-state={message ? 'invalid' : undefined}
                    title={message ?? hint}
                    onMouseDown={(event) => {
                      if (isActive) return;
                      event.preventDefault(); // focus goes to the editor, not the cell
                      activate({ row: r, col: c });
                    }}
                    onDoubleClick={() => {
                      if (!cellReadOnly) activate({ row: r, col: c }, 'edit');
                    }}
                  >
                    {isActive ? (
                      <GradeCellEditor
                        key={`${r}-${c}`}
                        text={text}
                        readOnly={cellReadOnly}
                        numeric={column.kind === 'score'}
                        label={`${row.fullName} — ${column.label}`}
                        testId="cell-editor"
                        initialMode={startMode}
                        commitRef={commitRef}
                        onCommit={(typed) => onCommit(row, column, typed)}
                        onMove={(how) => move({ row: r, col: c }, how)}
                        onPasteBlock={(block) => onPasteBlock(r, c, block)}
                        onLeave={(next) => {
                          if (!next || !wrapper.current?.contains(next)) onLeave();
                        }}
                      />
                    ) : (
                      <div className="hb-cell-text">{text}</div>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
