/** Pick a Circular 22 level (Tốt / Khá / Đạt / Chưa đạt), e.g. a semester's conduct. */
import { Select } from 'antd';
import { LEVELS, LEVEL_LABELS, type Level } from '../../domain/assessment/levels.ts';
import { useLocale } from '../i18n/locale-context.tsx';

interface LevelSelectProps {
  value: Level | null;
  disabled?: boolean;
  label: string;
  testId?: string;
  onChange: (level: Level | null) => void;
}

export function LevelSelect({ value, disabled, label, testId, onChange }: LevelSelectProps) {
  const { locale } = useLocale();
  return (
    <Select<Level | null>
      size="small"
      style={{ width: 112 }}
      allowClear
      value={value}
      disabled={disabled}
      aria-label={label}
      data-testid={testId}
      placeholder="—"
      onChange={(next) => onChange(next ?? null)}
      options={LEVELS.map((level) => ({ value: level, label: LEVEL_LABELS[level][locale] }))}
    />
  );
}
