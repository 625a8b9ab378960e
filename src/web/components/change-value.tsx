/** "7 → 8" for a changed cell, values shown the Vietnamese way ("8,5", "Đ"). */
import { displayCell } from '../grade-book/cell-values.ts';
import { useLocale } from '../i18n/locale-context.tsx';

function show(value: string | null, locale: 'vi' | 'en'): string {
  if (value === null || value === '') return '∅';
  // Marks and Đ/CĐ are canonical; anything else (a comment) is shown as it is.
  return /^(\d+(\.\d)?|D|CD)$/.test(value) ? displayCell('score', value, locale) : value;
}

export function ChangeValue({ old, next }: { old: string | null; next: string | null }) {
  const { locale } = useLocale();
  return (
    <span data-testid="change-value">
      <span className={old === null ? undefined : 'hb-old-value'}>{show(old, locale)}</span> → <strong>{show(next, locale)}</strong>
    </span>
  );
}
