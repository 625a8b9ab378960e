/**
 * "Sửa học bạ đã ký": the returned records that concern me (reason, who, when — open the
 * record to request the correction) and the correction requests; the principal approves or
 * rejects each with an optional note.
 */
import { useState } from 'react';
import { Alert, Button, Card, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { ErrorResult } from '../components/error-result.tsx';
import { formatDateTime } from '../format.ts';
import type { MessageKey } from '../i18n/index.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { RecordViewer, type ViewedStudent } from '../records/record-viewer.tsx';
import { useSession } from '../session/session-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { correctionsApi, type Correction } from './corrections-api.ts';
import { statusColor } from './version-corrections.tsx';
import { EmptyState } from '../help/empty-state.tsx';

export function CorrectionsPage() {
  const { t } = useLocale();
  const { can } = useSession();
  const returns = useApiData(() => correctionsApi.returns(), []);
  const list = useApiData(() => correctionsApi.list('all'), []);
  const [viewing, setViewing] = useState<ViewedStudent | null>(null);
  const [deciding, setDeciding] = useState<{ c: Correction; approve: boolean } | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (returns.error) return <ErrorResult error={returns.error} onRetry={returns.reload} />;
  if (list.error) return <ErrorResult error={list.error} onRetry={list.reload} />;

  async function decide() {
    if (!deciding) return;
    setBusy(true);
    setError(null);
    try {
      await correctionsApi.decide(deciding.c.id, deciding.approve, note.trim() || undefined);
      setDeciding(null);
      setNote('');
      list.reload();
      returns.reload();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="corrections-page">
      <div>
        <Typography.Title level={3}>{t('corrections.title')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('corrections.subtitle')}</Typography.Paragraph>
      </div>
      <Card title={t('corrections.returnsTitle')} size="small" loading={returns.loading && !returns.data}>
        {(returns.data?.returns.length ?? 0) === 0 ? (
          <EmptyState compact testId="returns-empty" what={t('corrections.noReturns')} next={t('empty.corrections.returnsNext')} help={{ page: 'xu-ly-su-co', anchor: 'hoc-ba-bi-tra-lai' }} />
        ) : (
          <Space orientation="vertical" style={{ width: '100%' }}>
            {returns.data!.returns.map((r) => (
              <Alert
                key={r.versionId}
                type="error"
                data-testid="return-item"
                title={
                  <Space wrap>
                    <strong>
                      {r.studentName} ({r.className}) · v{r.version}
                    </strong>
                    {r.correction && <Tag color={statusColor(r.correction.status as Correction['status'])}>{t(`corrections.status.${r.correction.status}` as MessageKey)}</Tag>}
                  </Space>
                }
                description={t('corrections.returned', { reason: r.reason, who: r.returnedBy, when: formatDateTime(r.returnedAt) })}
                action={
                  <Button size="small" onClick={() => setViewing({ studentId: r.studentId, fullName: r.studentName })} data-testid="open-returned">
                    {t('corrections.openVersion', { version: r.version })}
                  </Button>
                }
              />
            ))}
          </Space>
        )}
      </Card>
      <Card title={t('corrections.requestsTitle')} size="small">
        <Table<Correction>
          rowKey="id"
          size="small"
          loading={list.loading && !list.data}
          dataSource={list.data?.corrections ?? []}
          locale={{
            emptyText: (
              <EmptyState
                compact
                testId="corrections-empty"
                what={t('corrections.noRequests')}
                next={t('empty.corrections.requestsNext', { button: t('corrections.create') })}
                action={can('classes.read_all') ? { label: t('empty.corrections.action'), to: '/records' } : null}
                help={{ page: 'hieu-truong', anchor: 'sua-hoc-ba-da-ky' }}
              />
            ),
          }}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: t('corrections.col.student'), render: (_, c) => <a onClick={() => setViewing({ studentId: c.studentId, fullName: c.studentName })}>{`${c.studentName} (${c.className})`}</a> },
            { title: t('corrections.col.version'), render: (_, c) => `v${c.version}` },
            {
              title: t('corrections.col.what'),
              render: (_, c) => (
                <>
                  <div>
                    {t(`corrections.scope.${c.scope}` as MessageKey)}
                    {c.subjects.length ? `: ${c.subjects.join(', ')}` : ''}
                  </div>
                  <Typography.Text type="secondary">{c.reason}</Typography.Text>
                </>
              ),
            },
            { title: t('corrections.col.by'), render: (_, c) => `${c.requestedBy} · ${formatDateTime(c.requestedAt)}` },
            {
              title: t('corrections.col.status'),
              render: (_, c) => (
                <Space orientation="vertical" size={2}>
                  <Tag color={statusColor(c.status)}>{t(`corrections.status.${c.status}` as MessageKey)}</Tag>
                  {c.decidedBy && <Typography.Text type="secondary">{`${c.decidedBy}${c.decisionNote ? `: ${c.decisionNote}` : ''}`}</Typography.Text>}
                </Space>
              ),
            },
            ...(can('changes.decide')
              ? [
                  {
                    title: '',
                    render: (_: unknown, c: Correction) =>
                      c.status === 'pending' ? (
                        <Space>
                          <Button type="primary" size="small" onClick={() => setDeciding({ c, approve: true })} data-testid="approve-correction">
                            {t('corrections.approve')}
                          </Button>
                          <Button size="small" danger onClick={() => setDeciding({ c, approve: false })}>
                            {t('corrections.reject')}
                          </Button>
                        </Space>
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('corrections.afterApproval')}
        </Typography.Paragraph>
      </Card>
      <Modal
        open={deciding !== null}
        title={deciding ? `${deciding.approve ? t('corrections.approve') : t('corrections.reject')}: ${deciding.c.studentName} v${deciding.c.version}` : ''}
        onCancel={() => setDeciding(null)}
        onOk={decide}
        okButtonProps={{ loading: busy, ...({ 'data-testid': 'confirm-decision' } as Record<string, string>) }}
        destroyOnHidden
      >
        <Typography.Paragraph>{deciding?.c.reason}</Typography.Paragraph>
        <Input.TextArea rows={2} placeholder={t('corrections.note')} value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
        {error && <Alert type="error" showIcon style={{ marginTop: 8 }} title={error} />}
      </Modal>
      <RecordViewer
        student={viewing}
        onClose={() => {
          setViewing(null);
          returns.reload();
          list.reload();
        }}
      />
    </Space>
  );
}
