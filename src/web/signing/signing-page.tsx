/**
 * "Ký học bạ": the person's signing work (per class and step, from GET /api/signing/to-sign),
 * choose classes — or a grade / the whole school for the principal, everything approved for
 * the clerk — prepare a batch, then sign it in the batch panel. Recent batches can be opened
 * again, so a reload or a closed browser resumes where it stopped.
 */
import { useMemo, useState, type HTMLAttributes } from 'react';
import { Alert, Button, Card, Flex, Segmented, Space, Table, Tag, Typography } from 'antd';
import { ErrorResult } from '../components/error-result.tsx';
import { PageLoader } from '../components/page-loader.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { formatDateTime } from '../format.ts';
import type { MessageKey } from '../i18n/index.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { BatchPanel } from './batch-panel.tsx';
import { signingApi, type BatchSummary, type SigningStep, type SigningTarget, type ToSignRow } from './signing-api.ts';
import { ReturnsNotice } from '../corrections/returns-notice.tsx';
import { EmptyState } from '../help/empty-state.tsx';

const STEP_ORDER: SigningStep[] = ['subject', 'homeroom', 'principal', 'seal'];

export function SigningPage() {
  const { t } = useLocale();
  const toSign = useApiData(() => signingApi.toSign(), []);
  const recent = useApiData(() => signingApi.batches(), []);
  const [active, setActive] = useState<string[] | null>(null);
  const [step, setStep] = useState<SigningStep | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [preparing, setPreparing] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const rows = toSign.data?.rows ?? [];
  const steps = useMemo(() => STEP_ORDER.filter((s) => rows.some((r) => r.step === s)), [rows]);
  const currentStep = step && steps.includes(step) ? step : (steps[0] ?? null);
  const stepRows = rows.filter((r) => r.step === currentStep);
  const grades = [...new Set(stepRows.map((r) => r.grade))].sort((a, b) => a - b);

  if (toSign.loading && !toSign.data) return <PageLoader />;
  if (toSign.error) return <ErrorResult error={toSign.error} onRetry={toSign.reload} />;

  async function prepare(targets: SigningTarget[]) {
    if (!currentStep) return;
    setPreparing(true);
    setError(null);
    try {
      const ids: string[] = [];
      // One batch per class keeps each prepare bounded; the panel signs them all with one PIN.
      for (const target of targets) ids.push((await signingApi.prepare(currentStep, target)).batchId);
      setActive(ids);
      setSelected([]);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setPreparing(false);
      recent.reload();
    }
  }

  const closePanel = () => {
    setActive(null);
    toSign.reload();
    recent.reload();
  };

  const wide = currentStep === 'principal' || currentStep === 'seal';
  return (
    <div data-testid="signing-page">
      <PageTitle testId="signing-heading" subtitle={t('signing.subtitle')}>
        {t('signing.title')}
      </PageTitle>
      <ReturnsNotice />
      {error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={error} data-testid="signing-error" />}
      {active ? (
        <BatchPanel
          key={active.join(',')}
          batchIds={active}
          onClose={closePanel}
          onChanged={recent.reload}
          onPrepared={(ids) => {
            setActive(ids);
            recent.reload();
          }}
        />
      ) : (
        <Card title={t('signing.toSign')} data-testid="to-sign-card">
          {rows.length === 0 ? (
            <EmptyState
              testId="signing-empty"
              what={t('signing.nothing')}
              next={t('empty.signing.next')}
              action={{ label: t('empty.signing.action'), to: '/' }}
            />
          ) : (
            <Space orientation="vertical" style={{ width: '100%' }}>
              {steps.length > 1 && (
                <Flex gap={8} align="center">
                  <Typography.Text>{t('signing.stepPick')}</Typography.Text>
                  <Segmented
                    data-testid="signing-step"
                    value={currentStep ?? undefined}
                    onChange={(v) => {
                      setStep(v as SigningStep);
                      setSelected([]);
                    }}
                    options={steps.map((s) => ({ value: s, label: t(`signing.step.${s}` as MessageKey) }))}
                  />
                </Flex>
              )}
              <Table<ToSignRow>
                size="small"
                rowKey="classId"
                onRow={(r) => ({ 'data-testid': `to-sign-row-${r.className}` }) as HTMLAttributes<HTMLElement>}
                data-testid="to-sign-table"
                dataSource={stepRows}
                pagination={false}
                rowSelection={{
                  selectedRowKeys: selected,
                  onChange: (keys) => setSelected(keys as string[]),
                  getCheckboxProps: (r) => ({ disabled: r.ready === 0 }),
                }}
                columns={[
                  { title: t('signing.col.class'), dataIndex: 'className' },
                  { title: t('signing.col.step'), render: (_, r) => t(`signing.step.${r.step}` as MessageKey) },
                  {
                    title: t('signing.col.ready'),
                    render: (_, r) => (
                      <Tag color={r.ready ? 'blue' : 'default'} data-testid={`to-sign-ready-${r.className}`}>
                        {t(r.step === 'subject' ? 'signing.readyUnitSubject' : 'signing.readyUnit', { n: r.ready })}
                      </Tag>
                    ),
                  },
                  { title: t('signing.col.waiting'), render: (_, r) => (r.waiting ? t('signing.readyUnit', { n: r.waiting }) : '') },
                ]}
              />
              <Flex gap={8} wrap>
                <Button type="primary" disabled={selected.length === 0} loading={preparing} onClick={() => prepare(selected.map((classId) => ({ classId })))} data-testid="signing-prepare">
                  {t('signing.prepare', { n: selected.length })}
                </Button>
                {currentStep === 'principal' &&
                  grades.map((g) => (
                    <Button key={g} loading={preparing} onClick={() => prepare([{ grade: g }])} data-testid={`signing-prepare-grade-${g}`}>
                      {t('signing.prepareGrade', { grade: g })}
                    </Button>
                  ))}
                {wide && (
                  <Button loading={preparing} onClick={() => prepare([{ school: true }])} data-testid="signing-prepare-school">
                    {t(currentStep === 'seal' ? 'signing.prepareAllApproved' : 'signing.prepareSchool')}
                  </Button>
                )}
              </Flex>
            </Space>
          )}
        </Card>
      )}
      <RecentBatches batches={recent.data?.batches ?? []} onOpen={(id) => setActive([id])} />
    </div>
  );
}

function RecentBatches({ batches, onOpen }: { batches: BatchSummary[]; onOpen: (id: string) => void }) {
  const { t } = useLocale();
  if (batches.length === 0) return null;
  return (
    <Card title={t('signing.recent')} style={{ marginTop: 16 }} data-testid="recent-batches">
      <Table<BatchSummary>
        size="small"
        rowKey="batchId"
        dataSource={batches}
        pagination={false}
        columns={[
          { title: t('signing.col.created'), render: (_, b) => formatDateTime(b.createdAt) },
          { title: t('signing.col.step'), render: (_, b) => t(`signing.step.${b.step}` as MessageKey) },
          {
            title: t('signing.col.progress'),
            render: (_, b) => (
              <Space size={4} wrap>
                <Tag color="green">{t('signing.status.signed')}: {b.progress.signed}</Tag>
                {b.progress.pending > 0 && <Tag>{t('signing.status.pending')}: {b.progress.pending}</Tag>}
                {b.progress.failed > 0 && <Tag color="red">{t('signing.status.failed')}: {b.progress.failed}</Tag>}
                {b.progress.refused > 0 && <Tag color="orange">{t('signing.status.refused')}: {b.progress.refused}</Tag>}
                {b.expired && <Tag>{t('signing.expired')}</Tag>}
              </Space>
            ),
          },
          {
            title: '',
            render: (_, b) => (
              <Button size="small" onClick={() => onOpen(b.batchId)} data-testid={`batch-open-${b.batchId}`}>
                {t('signing.resume')}
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}
