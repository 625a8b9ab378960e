/** One subject of the catalogue being edited in place: name, English name, periods, Ministry code, order. */
import { Button, Input, InputNumber, Space } from 'antd';
import type { Subject, SubjectUpdate } from '../api-models.ts';
import { useLocale } from '../i18n/locale-context.tsx';

export type SubjectDraft = Required<Pick<SubjectUpdate, 'name' | 'nameEn' | 'periodsPerYear' | 'sortOrder'>> & { ministryCode: string };

export function draftOf(subject: Subject): SubjectDraft {
  return {
    name: subject.name,
    nameEn: subject.nameEn,
    periodsPerYear: subject.periodsPerYear,
    ministryCode: subject.ministryCode ?? '',
    sortOrder: subject.sortOrder,
  };
}

/** The changed fields only; null Ministry code when cleared. */
export function changesOf(subject: Subject, draft: SubjectDraft): SubjectUpdate {
  const patch: SubjectUpdate = {};
  if (draft.name.trim() !== subject.name) patch.name = draft.name.trim();
  if (draft.nameEn.trim() !== subject.nameEn) patch.nameEn = draft.nameEn.trim();
  if (draft.periodsPerYear !== subject.periodsPerYear) patch.periodsPerYear = draft.periodsPerYear;
  const code = draft.ministryCode.trim() || null;
  if (code !== subject.ministryCode) patch.ministryCode = code;
  if (draft.sortOrder !== subject.sortOrder) patch.sortOrder = draft.sortOrder;
  return patch;
}

interface FieldProps {
  draft: SubjectDraft;
  onChange: (patch: Partial<SubjectDraft>) => void;
}

export function SubjectTextField({ draft, onChange, field, label }: FieldProps & { field: 'name' | 'nameEn' | 'ministryCode'; label: string }) {
  return (
    <Input
      size="small"
      aria-label={label}
      value={draft[field]}
      maxLength={200}
      style={{ minWidth: field === 'ministryCode' ? 90 : 180 }}
      onChange={(e) => onChange({ [field]: e.target.value })}
      data-testid={`subject-${field}`}
    />
  );
}

export function SubjectNumberField({ draft, onChange, field, label }: FieldProps & { field: 'periodsPerYear' | 'sortOrder'; label: string }) {
  return (
    <InputNumber
      size="small"
      aria-label={label}
      min={field === 'periodsPerYear' ? 1 : 0}
      max={1000}
      precision={0}
      style={{ width: 80 }}
      value={draft[field]}
      onChange={(v) => onChange({ [field]: v ?? 0 })}
      data-testid={`subject-${field}`}
    />
  );
}

export function SubjectEditButtons({ busy, onSave, onCancel }: { busy: boolean; onSave: () => void; onCancel: () => void }) {
  const { t } = useLocale();
  return (
    <Space>
      <Button size="small" type="primary" loading={busy} onClick={onSave} data-testid="subject-save">
        {t('common.save')}
      </Button>
      <Button
        size="small"
        onClick={onCancel}
      >
        {t('common.cancel')}
      </Button>
    </Space>
  );
}
