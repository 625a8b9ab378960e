/** The audit log, newest first, 50 at a time, with the chain check above it. */
import { useCallback, useEffect, useState } from 'react';
import { Button, Flex, Table, Typography } from 'antd';
import { api, ApiError } from '../api.ts';
import type { AuditEntry } from '../api-models.ts';
import { AuditVerify } from '../components/audit-verify.tsx';
import { ErrorResult } from '../components/error-result.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { formatDateTime } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { EmptyState } from '../help/empty-state.tsx';

const PAGE = 50;

export function AuditPage() {
  const { t } = useLocale();
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [more, setMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);

  const load = useCallback(async (before?: number) => {
    setLoading(true);
    setError(null);
    try {
      const { entries: page } = await api.audit({ limit: PAGE, before });
      setEntries((current) => (before === undefined ? page : [...current, ...page]));
      setMore(page.length === PAGE);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0, { code: 'client', message: String(caught) }));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  if (error && entries.length === 0) return <ErrorResult error={error} onRetry={() => void load()} />;

  return (
    <>
      <PageTitle testId="audit-heading">{t('audit.title')}</PageTitle>
      <AuditVerify />
      <Table<AuditEntry>
        data-testid="audit-table"
        rowKey="seq"
        size="small"
        loading={loading}
        dataSource={entries}
        pagination={false}
        locale={{ emptyText: <EmptyState compact testId="audit-empty" what={t('audit.empty')} next={t('empty.audit.next')} /> }}
        scroll={{ x: 'max-content' }}
        expandable={{
          rowExpandable: (row) => row.after !== undefined && row.after !== null,
          expandedRowRender: (row) => (
            <div>
              <Typography.Text type="secondary">{t('audit.details')}</Typography.Text>
              <pre className="hb-json">{JSON.stringify(row.after, null, 2)}</pre>
            </div>
          ),
        }}
        columns={[
          { title: t('audit.seq'), dataIndex: 'seq', key: 'seq', width: 72 },
          { title: t('audit.at'), dataIndex: 'at', key: 'at', render: (at: string) => formatDateTime(at) },
          { title: t('audit.actor'), dataIndex: 'actor', key: 'actor', render: (a: string | null) => a ?? t('audit.system') },
          {
            title: t('audit.action'),
            dataIndex: 'action',
            key: 'action',
            render: (action: string) => <Typography.Text code>{action}</Typography.Text>,
          },
          {
            title: t('audit.target'),
            key: 'target',
            render: (_v, row) =>
              row.targetType ? `${row.targetType}${row.targetId ? ` · ${row.targetId}` : ''}` : t('common.none'),
          },
        ]}
      />
      {more && (
        <Flex justify="center" style={{ marginTop: 16 }}>
          <Button data-testid="audit-more" loading={loading} onClick={() => void load(entries.at(-1)?.seq)}>
            {t('audit.loadMore')}
          </Button>
        </Flex>
      )}
    </>
  );
}
