/** The school's background jobs (sync, exports, backups…): state, progress, times, retry a failed sync. */
import { App, Button, Card, Progress, Table, Tag } from 'antd';
import type { JobView } from '../../server/api-types.ts';
import { ApiError } from '../api.ts';
import { formatDateTime } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import type { MessageKey } from '../i18n/index.ts';
import { useApiData } from '../use-api-data.ts';
import { syncApi } from './sync-api.ts';
import { EmptyState } from '../help/empty-state.tsx';

const STATE_COLORS: Record<string, string> = { created: 'default', retry: 'gold', active: 'processing', completed: 'green', cancelled: 'default', failed: 'red' };

export function JobsCard({ canManage, refreshKey, onRetried }: { canManage: boolean; refreshKey: unknown; onRetried: () => void }) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const jobs = useApiData(() => syncApi.jobs(), [refreshKey]);
  const stateLabel = (s: string) => (STATE_COLORS[s] !== undefined ? t(`jobs.state.${s}` as MessageKey) : s);
  return (
    <Card title={t('jobs.title')} data-testid="jobs">
      <Table<JobView>
        size="small"
        rowKey="id"
        loading={jobs.loading}
        dataSource={jobs.data ?? []}
        locale={{ emptyText: <EmptyState compact testId="jobs-empty" what={t('jobs.empty')} next={t('empty.jobs.next')} /> }}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        columns={[
          { title: t('jobs.col.job'), key: 'j', render: (_: unknown, j) => (<><code>{j.name}</code> <span>{j.label}</span>{j.error && <div style={{ color: '#cf1322' }}>{j.error}</div>}</>) },
          { title: t('jobs.col.state'), dataIndex: 'state', render: (s: string) => <Tag color={STATE_COLORS[s] ?? 'default'}>{stateLabel(s)}</Tag> },
          { title: t('sync.col.progress'), key: 'p', width: 160, render: (_: unknown, j) => (j.progress ? <Progress size="small" percent={j.progress.total ? Math.round((100 * j.progress.done) / j.progress.total) : j.state === 'completed' ? 100 : 0} format={() => `${j.progress!.done}/${j.progress!.total}`} /> : '—') },
          { title: t('jobs.col.created'), dataIndex: 'createdAt', render: (x: string) => formatDateTime(x) },
          { title: t('jobs.col.finished'), dataIndex: 'completedAt', render: (x: string | null) => formatDateTime(x) || '—' },
          {
            key: 'a',
            render: (_: unknown, j) =>
              canManage && j.retryable && j.runId ? (
                <Button
                  size="small"
                  onClick={async () => {
                    try {
                      await syncApi.retry(j.runId!);
                      onRetried();
                    } catch (err) {
                      message.error(err instanceof ApiError ? err.message : String(err));
                    }
                  }}
                >
                  {t('sync.retry')}
                </Button>
              ) : null,
          },
        ]}
      />
    </Card>
  );
}
