/**
 * One student's differences side by side (school | CSDL ngành | VNeID), each resolved by
 * taking one value or typing another with a reason; resolved ones show who, when and why.
 */
import { useState } from 'react';
import { App, Button, Space, Table, Typography } from 'antd';
import type { ReconciliationView, StudentFieldName } from '../../server/api-types.ts';
import { api, isApiError } from '../api.ts';
import type { ReconcileTake } from '../api-models.ts';
import { formatDateTime } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { displayValue, fieldLabel } from '../students/fields.ts';
import { ManualValueModal } from './manual-value-modal.tsx';

type Student = ReconciliationView['students'][number];
type Difference = Student['differences'][number];
const SOURCES = ['csdl_nganh', 'vneid'] as const;

interface ReconciliationDifferencesProps {
  student: Student;
  canResolve: boolean;
  onResolved: () => void;
}

export function ReconciliationDifferences({ student, canResolve, onResolved }: ReconciliationDifferencesProps) {
  const { t, locale } = useLocale();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const [manual, setManual] = useState<Difference | null>(null);

  const resolve = async (field: StudentFieldName, take: ReconcileTake, value?: string, reason?: string) => {
    setBusy(field);
    try {
      await api.reconcile(student.studentId, { field, take, ...(take === 'manual' ? { value: value || null, reason } : {}) });
      void message.success(t('recon.saved'));
      onResolved();
    } catch (error) {
      void message.error({ content: isApiError(error) ? error.message : String(error), duration: 6 });
      throw error;
    } finally {
      setBusy(null);
    }
  };

  const show = (field: StudentFieldName, value: string | null | undefined) =>
    value ? displayValue(field, value, locale) : <Typography.Text type="secondary">—</Typography.Text>;

  if (student.differences.length === 0) return <Typography.Text type="secondary">{t('recon.noDifferences')}</Typography.Text>;
  return (
    <>
      <Table<Difference>
        rowKey="field"
        size="small"
        pagination={false}
        dataSource={student.differences}
        scroll={{ x: 'max-content' }}
        data-testid={`recon-differences-${student.studentId}`}
        columns={[
          { title: t('recon.field'), key: 'field', render: (_v, d) => <b>{fieldLabel(d.field, locale)}</b> },
          { title: t('recon.source.school'), key: 'school', render: (_v, d) => show(d.field, d.school) },
          ...SOURCES.map((source) => ({
            title: t(`recon.source.${source}`),
            key: source,
            render: (_v: unknown, d: Difference) => (source in d.sources ? show(d.field, d.sources[source]) : <Typography.Text type="secondary">—</Typography.Text>),
          })),
          {
            title: t('recon.resolution'),
            key: 'resolution',
            render: (_v, d) => {
              const r = d.resolution;
              const resolved = r && (
                <div data-testid={`recon-resolved-${d.field}`}>
                  <Typography.Text type="success">
                    {t('recon.resolvedBy', { take: t(`recon.take.${r.take as ReconcileTake}`), by: r.by, at: formatDateTime(r.at) })}
                  </Typography.Text>
                  {r.take === 'manual' && <div>{show(d.field, r.value)}</div>}
                  {r.reason && <div><Typography.Text type="secondary">{t('recon.reasonShown', { reason: r.reason })}</Typography.Text></div>}
                </div>
              );
              if (!canResolve) return resolved || <Typography.Text type="warning">{t('recon.notReconciled')}</Typography.Text>;
              return (
                <Space orientation="vertical" size={4}>
                  {resolved}
                  <Space wrap size={4}>
                    <Button size="small" loading={busy === d.field} onClick={() => void resolve(d.field, 'school').catch(() => undefined)} data-testid={`recon-take-school-${d.field}`}>
                      {t('recon.take.school')}
                    </Button>
                    {SOURCES.filter((s) => s in d.sources).map((s) => (
                      <Button key={s} size="small" loading={busy === d.field} onClick={() => void resolve(d.field, s).catch(() => undefined)} data-testid={`recon-take-${s}-${d.field}`}>
                        {t(`recon.take.${s}`)}
                      </Button>
                    ))}
                    <Button size="small" type="dashed" onClick={() => setManual(d)} data-testid={`recon-take-manual-${d.field}`}>
                      {t('recon.take.manual')}
                    </Button>
                  </Space>
                </Space>
              );
            },
          },
        ]}
      />
      <ManualValueModal
        open={manual !== null}
        fieldName={manual ? fieldLabel(manual.field, locale) : ''}
        initial={manual?.school ?? ''}
        onCancel={() => setManual(null)}
        onSubmit={async (value, reason) => {
          if (!manual) return;
          await resolve(manual.field, 'manual', value, reason);
          setManual(null);
        }}
      />
    </>
  );
}
