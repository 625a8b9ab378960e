/**
 * One session cell of the daily register: a button showing Có mặt / P / K. Click or Space
 * cycles; P, K and C set the status directly; arrow keys move to the neighbouring cell.
 */
import type { KeyboardEvent } from 'react';
import type { AttendanceStatus } from '../api-models.ts';
import { useLocale } from '../i18n/locale-context.tsx';

const NEXT: Record<AttendanceStatus, AttendanceStatus> = { present: 'excused', excused: 'unexcused', unexcused: 'present' };
const KEYS: Record<string, AttendanceStatus> = { p: 'excused', k: 'unexcused', c: 'present', Delete: 'present', Backspace: 'present' };
const ARROWS: Record<string, 'up' | 'down' | 'left' | 'right'> = { ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' };

interface AttendanceCellProps {
  status: AttendanceStatus;
  changed: boolean;
  disabled: boolean;
  label: string;
  testId: string;
  onChange: (status: AttendanceStatus) => void;
  onMove: (direction: 'up' | 'down' | 'left' | 'right') => void;
}

export function AttendanceCell({ status, changed, disabled, label, testId, onChange, onMove }: AttendanceCellProps) {
  const { t } = useLocale();
  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    const arrow = ARROWS[event.key];
    if (arrow) {
      event.preventDefault();
      onMove(arrow);
      return;
    }
    if (disabled) return;
    const direct = KEYS[event.key] ?? KEYS[event.key.toLowerCase()];
    if (direct) {
      event.preventDefault();
      onChange(direct);
    } else if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      onChange(NEXT[status]);
    }
  };
  const full = t(`attendance.${status}`);
  return (
    <button
      type="button"
      className={`attendance-cell attendance-${status}${changed ? ' attendance-changed' : ''}`}
      data-testid={testId}
      data-status={status}
      aria-label={`${label}: ${full}`}
      title={full}
      aria-disabled={disabled}
      onClick={() => !disabled && onChange(NEXT[status])}
      onKeyDown={onKeyDown}
    >
      {t(`attendance.short.${status}`)}
    </button>
  );
}
