/**
 * "Kế hoạch năm học": the dated stages of the school year (grade 12 earlier where it differs).
 * Everyone on staff reads it; the principal edits the dates and saves the whole plan, which
 * the server validates (order of stages per grade, within the school year). Below, the
 * reminder settings for who may change them.
 */
import { Alert, App, Button, Card, Input, Select, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { PLAN_STAGES, PLAN_STAGE_LABELS, type PlanRow } from '../../domain/plan/plan-template.ts';
import { isApiError } from '../api.ts';
import { ErrorResult } from '../components/error-result.tsx';
import { PageLoader } from '../components/page-loader.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { formatDate } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSession, useSignedInSession } from '../session/session-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { planApi } from './plan-api.ts';
import { ReminderSettingsCard } from './reminder-settings-card.tsx';

const order = (r: PlanRow) => PLAN_STAGES.indexOf(r.stage) * 100 + (r.grade ?? 0);

export function PlanPage() {
  const { t, locale } = useLocale();
  const { message } = App.useApp();
  const session = useSignedInSession();
  const { can } = useSession();
  const data = useApiData(() => planApi.plan(), [session.activeSchoolId]);
  const [rows, setRows] = useState<PlanRow[]>([]);
  const [problems, setProblems] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  useEffect(() => setRows(data.data?.rows ?? []), [data.data]);

  if (data.loading && !data.data) return <PageLoader />;
  if (data.error || !data.data) return <ErrorResult error={data.error} onRetry={data.reload} />;
  const plan = data.data;
  if (!plan.schoolYear) return <Alert type="info" message={t('plan.noYear')} />;
  const edit = plan.canEdit;
  const update = (i: number, patch: Partial<PlanRow>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const save = async () => {
    setSaving(true);
    setProblems([]);
    try {
      await planApi.savePlan(rows);
      message.success(t('plan.saved'));
      data.reload();
    } catch (err) {
      if (isApiError(err) && err.details?.length) setProblems(err.details.map((d) => d.message));
      else setProblems([err instanceof Error ? err.message : String(err)]);
    } finally {
      setSaving(false);
    }
  };
  const dateCell = (field: 'startsOn' | 'dueOn') => (_: unknown, r: PlanRow, i: number) =>
    edit ? <Input type="date" size="small" value={r[field]} data-testid={`plan-${r.stage}-${r.grade ?? 'all'}-${field}`} onChange={(e) => update(i, { [field]: e.target.value })} style={{ width: 150 }} /> : formatDate(r[field]);

  return (
    <>
      <PageTitle testId="plan-heading" subtitle={t('plan.hint')}>
        {t('plan.title', { year: plan.schoolYear.name })}
      </PageTitle>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space direction="vertical" style={{ width: '100%' }}>
          {plan.window && <Typography.Text type="secondary">{t('plan.window', { from: formatDate(plan.window.from), to: formatDate(plan.window.to) })}</Typography.Text>}
          {plan.locks.semester1 && plan.locks.semester2 && (
            <Typography.Text type="secondary">{t('plan.locks', { s1: new Date(plan.locks.semester1).toLocaleString(locale === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: 'Asia/Ho_Chi_Minh' }), s2: new Date(plan.locks.semester2).toLocaleString(locale === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: 'Asia/Ho_Chi_Minh' }) })}</Typography.Text>
          )}
          {problems.length > 0 && <Alert type="error" data-testid="plan-problems" message={<ul style={{ margin: 0, paddingInlineStart: 18 }}>{problems.map((p) => <li key={p}>{p}</li>)}</ul>} />}
          <Table<PlanRow>
            size="small"
            pagination={false}
            rowKey={(r) => `${r.stage}-${r.grade ?? 'all'}`}
            dataSource={rows}
            columns={[
              { title: t('plan.stage'), render: (_, r) => PLAN_STAGE_LABELS[r.stage][locale] },
              { title: t('plan.grade'), width: 110, render: (_, r) => (r.grade === null ? t('plan.allGrades') : r.grade) },
              { title: t('plan.startsOn'), render: dateCell('startsOn') },
              { title: t('plan.dueOn'), render: dateCell('dueOn') },
              ...(edit ? [{ title: '', width: 80, render: (_: unknown, r: PlanRow, i: number) => r.grade !== null && <Button size="small" type="link" danger onClick={() => setRows((rs) => rs.filter((_x, j) => j !== i))}>{t('plan.remove')}</Button> }] : []),
            ]}
          />
          {edit && (
            <Space wrap>
              <Select<string>
                placeholder={t('plan.addGrade')}
                style={{ minWidth: 280 }}
                value={null as unknown as string}
                onChange={(v) => {
                  const [stage, g] = v.split('|') as [PlanRow['stage'], string];
                  const base = rows.find((r) => r.stage === stage && r.grade === null);
                  if (base && !rows.some((r) => r.stage === stage && r.grade === Number(g))) setRows((rs) => [...rs, { ...base, grade: Number(g) as 10 | 11 | 12 }].sort((a, b) => order(a) - order(b)));
                }}
                options={PLAN_STAGES.flatMap((s) => [10, 11, 12].map((g) => ({ value: `${s}|${g}`, label: `${PLAN_STAGE_LABELS[s][locale]} — ${t('plan.grade').toLowerCase()} ${g}` })))}
              />
              <Button type="primary" loading={saving} onClick={() => void save()} data-testid="plan-save">
                {t('plan.save')}
              </Button>
            </Space>
          )}
        </Space>
      </Card>
      {can('plan.settings') && <ReminderSettingsCard />}
    </>
  );
}
