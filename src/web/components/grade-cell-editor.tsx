/**
 * The active cell of the grade grid: a real input, so typing, IME (Telex/VNI), copy and
 * paste all work natively. In "nav" mode the whole value is selected, so typing replaces
 * it (typing starts editing) and arrow keys move; F2 or a double click edits in place.
 */
import { useLayoutEffect, useRef, useState, type ClipboardEvent, type KeyboardEvent, type MutableRefObject } from 'react';
import { isBlock, parseClipboardTable } from '../grade-book/paste.ts';
import type { GridMove } from '../grade-book/grid-navigation.ts';

export type EditMode = 'nav' | 'enter' | 'edit';

interface GradeCellEditorProps {
  /** What the cell shows when not being edited. */
  text: string;
  readOnly: boolean;
  numeric: boolean;
  label: string;
  testId: string;
  initialMode: EditMode;
  onCommit: (text: string) => void;
  onMove: (move: GridMove) => void;
  onPasteBlock: (block: string[][]) => void;
  onLeave: (next: Element | null) => void;
  /** Set to this editor's "commit what is typed" so the grid can commit before moving elsewhere. */
  commitRef: MutableRefObject<(() => void) | null>;
}

export function GradeCellEditor(props: GradeCellEditorProps) {
  const { text, readOnly, numeric, label, testId, initialMode, onCommit, onMove, onPasteBlock, onLeave, commitRef } = props;
  const input = useRef<HTMLInputElement>(null);
  const [mode, setMode] = useState<EditMode>(initialMode);
  const [draft, setDraft] = useState(text);

  useLayoutEffect(() => {
    const el = input.current;
    if (!el) return;
    if (document.activeElement !== el) el.focus({ preventScroll: true });
    el.closest('td')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    if (mode === 'nav') el.select();
    else if (mode === 'edit') el.setSelectionRange(el.value.length, el.value.length);
  }, [mode, text]);

  const commitIfEditing = () => {
    if (mode !== 'nav' && draft !== text) onCommit(draft);
    setMode('nav');
  };
  commitRef.current = commitIfEditing;
  const commitAndMove = (move: GridMove) => {
    commitIfEditing();
    onMove(move);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.nativeEvent.isComposing) return;
    const key = event.key;
    const editing = mode !== 'nav';
    if (key === 'Enter') {
      event.preventDefault();
      commitAndMove(event.shiftKey ? 'up' : 'down');
    } else if (key === 'Tab') {
      event.preventDefault();
      commitAndMove(event.shiftKey ? 'previous' : 'next');
    } else if (key === 'Escape') {
      if (editing) {
        event.preventDefault();
        setDraft(text);
        setMode('nav');
      }
    } else if (key === 'ArrowUp' || key === 'ArrowDown') {
      event.preventDefault();
      commitAndMove(key === 'ArrowUp' ? 'up' : 'down');
    } else if ((key === 'ArrowLeft' || key === 'ArrowRight') && mode !== 'edit') {
      event.preventDefault();
      commitAndMove(key === 'ArrowLeft' ? 'left' : 'right');
    } else if ((key === 'Home' || key === 'End') && mode === 'nav') {
      event.preventDefault();
      onMove(key === 'Home' ? 'home' : 'end');
    } else if ((key === 'Delete' || key === 'Backspace') && mode === 'nav') {
      event.preventDefault();
      if (!readOnly && text !== '') onCommit('');
    } else if (key === 'F2' && !readOnly) {
      event.preventDefault();
      setDraft(text);
      setMode('edit');
    }
  };

  const onPaste = (event: ClipboardEvent<HTMLInputElement>) => {
    const pasted = event.clipboardData.getData('text/plain');
    if (readOnly) {
      event.preventDefault();
      return;
    }
    if (mode === 'nav' || isBlock(pasted)) {
      event.preventDefault();
      setMode('nav');
      onPasteBlock(parseClipboardTable(pasted));
    }
  };

  return (
    <input
      ref={input}
      className={`hb-cell-input hb-cell-input-${mode}`}
      data-testid={testId}
      aria-label={label}
      value={mode === 'nav' ? text : draft}
      readOnly={readOnly}
      inputMode={numeric ? 'decimal' : 'text'}
      autoComplete="off"
      spellCheck={false}
      onChange={(event) => {
        setDraft(event.target.value);
        if (mode === 'nav') setMode('enter');
      }}
      onKeyDown={onKeyDown}
      onPaste={onPaste}
      onDoubleClick={() => {
        if (readOnly) return;
        setDraft(text);
        setMode('edit');
      }}
      onBlur={(event) => {
        commitIfEditing();
        onLeave(event.relatedTarget as Element | null);
      }}
    />
  );
}
