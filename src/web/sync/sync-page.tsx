/**
 * Đồng bộ CSDL học bạ số: the IT officer's screen (sync.manage; the principal reads it) —
 * connection settings without the secret, counts, the running sync's progress, rejections
 * grouped by who must fix them with "resubmit after correction", the sync history, per-record
 * results, and the school's background jobs (state, progress, retry).
 */
import { Alert, App, Button, Card, Col, Descriptions, Progress, Row, Segmented, Space, Statistic, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import type { SyncItemStatus, SyncRunView, SyncTargetName } from '../../server/api-types.ts';
import { ApiError } from '../api.ts';
import { ErrorResult } from '../components/error-result.tsx';
import { PageLoader } from '../components/page-loader.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { formatDateTime } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { JobsCard } from './jobs-card.tsx';
import { RejectionsCard } from './rejections-card.tsx';
import { SettingsModal } from './settings-modal.tsx';
import { isActiveRun, syncApi } from './sync-api.ts';
import { ItemStatusTag, RunStatusTag } from './sync-tags.tsx';

export function SyncPage() {
  const { t } = useLocale();
  const { message } = App.useApp();
  const data = useApiData(() => syncApi.overview(), []);
  const [editing, setEditing] = useState<SyncTargetName | null>(null);
  const [filter, setFilter] = useState<SyncItemStatus | 'all'>('all');
  const items = useApiData(() => syncApi.items({ target: 'hbs', ...(filter === 'all' ? {} : { status: filter }) }), [filter, data.data]);
  const [busy, setBusy] = useState(false);
  const active = data.data?.active ?? null;

  // Follow a running sync: poll its overview until it is finished.
  useEffect(() => {
    if (!isActiveRun(active)) return;
    const timer = setTimeout(data.reload, 1500);
    return () => clearTimeout(timer);
  }, [active, data.data]);

  if (data.loading && !data.data) return <PageLoader />;
  if (data.error || !data.data) return <ErrorResult error={data.error} onRetry={data.reload} />;
  const v = data.data;
  const hbs = v.settings.find((s) => s.target === 'hbs')!;
  const vneid = v.settings.find((s) => s.target === 'vneid')!;

  const act = async (fn: () => Promise<SyncRunView>, ok: string) => {
    setBusy(true);
    try {
      const run = await fn();
      message.success(run.status === 'queued' || run.status === 'running' ? ok : t('sync.started'));
      data.reload();
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle
        testId="sync-heading"
        subtitle={t('sync.subtitle')}
        extra={
          v.canManage ? (
            <Space>
              <Button type="primary" data-testid="sync-start" loading={busy} disabled={hbs.source === 'none' || !hbs.enabled || isActiveRun(active)} onClick={() => act(() => syncApi.start('hbs'), t('sync.started'))}>
                {t('sync.start')}
              </Button>
              <Button data-testid="sync-start-vneid" disabled={vneid.source === 'none' || !vneid.enabled || isActiveRun(active)} onClick={() => act(() => syncApi.start('vneid'), t('sync.started'))}>
                {t('sync.startVneid')}
              </Button>
            </Space>
          ) : null
        }
      >
        {t('sync.title')}
      </PageTitle>
      {!v.canManage && <Alert style={{ marginBottom: 16 }} type="info" showIcon title={t('sync.readOnly')} data-testid="sync-read-only" />}
      {active && (
        <Alert
          style={{ marginBottom: 16 }}
          type="info"
          showIcon
          data-testid="sync-active"
          title={t('sync.active', { done: String(active.done), total: String(active.total) })}
          description={<Progress percent={active.total ? Math.round((100 * active.done) / active.total) : 0} size="small" />}
        />
      )}
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col xs={12} md={4}>
          <Card size="small">
            <Statistic title={t('sync.waiting')} value={v.waiting} data-testid="sync-waiting" />
          </Card>
        </Col>
        {(['accepted', 'rejected', 'pending', 'invalid'] as const).map((s) => (
          <Col xs={12} md={5} key={s}>
            <Card size="small">
              <Statistic title={t(`sync.status.${s}`)} value={v.counts.hbs[s]} data-testid={`sync-count-${s}`} styles={{ content: { color: s === 'rejected' && v.counts.hbs[s] ? '#cf1322' : undefined } }} />
            </Card>
          </Col>
        ))}
      </Row>
      <Card title={t('sync.connection')} style={{ marginBottom: 16 }} data-testid="sync-settings">
        <Row gutter={16}>
          {v.settings.map((s) => (
            <Col xs={24} md={12} key={s.target}>
              <Descriptions
                size="small"
                column={1}
                title={t(`sync.target.${s.target}`)}
                extra={v.canManage ? <Button size="small" data-testid={`sync-edit-${s.target}`} onClick={() => setEditing(s.target)}>{t('sync.edit')}</Button> : null}
              >
                <Descriptions.Item label={t('sync.col.status')}>
                  {s.source === 'none' ? <Tag>{t('sync.source.none')}</Tag> : <Tag color={s.enabled ? 'green' : 'default'}>{t(s.enabled ? 'sync.enabled' : 'sync.disabled')}</Tag>} {s.source !== 'none' && t(`sync.source.${s.source}`)}
                </Descriptions.Item>
                <Descriptions.Item label={t('sync.baseUrl')}>{s.baseUrl ?? '—'}</Descriptions.Item>
                {s.target === 'hbs' && <Descriptions.Item label={t('sync.clientId')}>{s.clientId || '—'}</Descriptions.Item>}
                <Descriptions.Item label={t('sync.secret')}>{s.secretSet ? `•••••• ${t('sync.secretSet')}` : t('sync.secretNotSet')}</Descriptions.Item>
              </Descriptions>
            </Col>
          ))}
        </Row>
      </Card>
      <RejectionsCard groups={v.rejections} canManage={v.canManage} busy={busy || isActiveRun(active)} onResubmit={(ids) => act(() => syncApi.resubmit(ids), t('sync.alreadyRunning'))} />
      <Card title={t('sync.history')} style={{ marginBottom: 16 }}>
        <Table
          size="small"
          rowKey="id"
          data-testid="sync-runs"
          pagination={false}
          dataSource={v.runs}
          columns={[
            { title: t('sync.col.at'), dataIndex: 'createdAt', render: (x: string) => formatDateTime(x) },
            { title: t('sync.col.target'), dataIndex: 'target', render: (x: SyncTargetName) => (x === 'hbs' ? 'CSDL HBS' : 'VNeID') },
            { title: t('sync.col.by'), dataIndex: 'requestedBy' },
            { title: t('sync.col.status'), dataIndex: 'status', render: (_: string, r: SyncRunView) => <RunStatusTag run={r} /> },
            { title: t('sync.col.progress'), key: 'p', render: (_: unknown, r: SyncRunView) => `${r.done}/${r.total}` },
            {
              title: t('sync.col.result'),
              key: 'r',
              render: (_: unknown, r: SyncRunView) => (
                <>
                  {t('sync.result', { accepted: String(r.accepted), rejected: String(r.rejected), pending: String(r.pending), invalid: String(r.invalid) })}
                  {r.retries > 0 && <div style={{ color: '#8c8c8c' }}>{t('sync.retries', { retries: String(r.retries) })}</div>}
                  {r.error && <div style={{ color: '#cf1322' }}>{r.error}</div>}
                </>
              ),
            },
            {
              key: 'a',
              render: (_: unknown, r: SyncRunView) =>
                v.canManage && r.status === 'failed' && r.id === v.runs[0]?.id ? (
                  <Button size="small" data-testid="sync-retry" onClick={() => act(() => syncApi.retry(r.id), t('sync.alreadyRunning'))}>
                    {t('sync.retry')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
      <Card
        title={t('sync.items')}
        style={{ marginBottom: 16 }}
        extra={
          <Segmented<SyncItemStatus | 'all'>
            value={filter}
            onChange={setFilter}
            options={[{ value: 'all', label: t('sync.all') }, ...(['accepted', 'rejected', 'pending', 'sending', 'invalid'] as const).map((s) => ({ value: s, label: t(`sync.status.${s}`) }))]}
          />
        }
      >
        <Table
          size="small"
          rowKey="id"
          data-testid="sync-items"
          loading={items.loading}
          dataSource={items.data ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: t('sync.col.student'), dataIndex: 'studentName' },
            { title: t('sync.col.class'), dataIndex: 'className' },
            { title: t('sync.col.version'), dataIndex: 'version', render: (x: number) => `v${x}` },
            { title: t('sync.col.status'), dataIndex: 'status', render: (_: string, r) => <ItemStatusTag item={r} /> },
            { title: t('sync.col.message'), key: 'm', render: (_: unknown, r) => (r.code ? `${r.code}: ${r.message ?? ''}` : (r.receiptId ?? '')) },
            { title: t('sync.col.attempts'), dataIndex: 'attempts', align: 'right' },
          ]}
        />
      </Card>
      <JobsCard canManage={v.canManage} refreshKey={v} onRetried={data.reload} />
      {editing && <SettingsModal settings={v.settings.find((s) => s.target === editing)!} onClose={() => setEditing(null)} onSaved={data.reload} />}
    </>
  );
}
