/** The 54 ethnic groups by name (value: the 2-digit code); search ignores accents, hyphens and old names. */
import { Select } from 'antd';
import { ETHNIC_GROUPS } from '../../domain/identity/ethnicity.ts';
import { foldVietnamese } from '../../domain/identity/names.ts';
import { useLocale } from '../i18n/locale-context.tsx';

const fold = (text: string) => foldVietnamese(text).replace(/[-'\s]/g, '');
const OPTIONS = ETHNIC_GROUPS.map((g) => ({ value: g.code, label: g.name, search: fold([g.name, ...g.aliases].join('|')) }));

interface EthnicitySelectProps {
  value?: string | null;
  onChange?: (value: string | null) => void;
  id?: string;
}

export function EthnicitySelect({ value, onChange, id }: EthnicitySelectProps) {
  const { t } = useLocale();
  return (
    <Select
      id={id}
      value={value || undefined}
      onChange={(v) => onChange?.(v ?? null)}
      allowClear
      placeholder={t('student.ethnicityPlaceholder')}
      options={OPTIONS}
      showSearch={{ filterOption: (input, option) => (option?.search ?? '').includes(fold(input)) }}
      data-testid="ethnicity-select"
    />
  );
}
