/** Who changed what on a grade sheet, when and why: old → new, and who approved it. */
import { Drawer, Empty, Table, Timeline, Typography } from 'antd';
import type { GradeHistoryEntry } from '../../server/api-types.ts';
import { api } from '../api.ts';
import { formatDateTime } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import type { MessageKey } from '../i18n/index.ts';
import { useApiData } from '../use-api-data.ts';
import { ChangeValue } from './change-value.tsx';
import { ErrorResult } from './error-result.tsx';

type Change = GradeHistoryEntry['changes'][number];

export function GradeHistoryDrawer({ sheetId, open, onClose }: { sheetId: string; open: boolean; onClose: () => void }) {
  const { t } = useLocale();
  const history = useApiData(() => (open ? api.sheetHistory(sheetId) : Promise.resolve(null)), [sheetId, open]);
  const entries = [...(history.data?.entries ?? [])].reverse(); // newest first

  return (
    <Drawer title={t('history.title')} open={open} onClose={onClose} size="large">
      <div data-testid="history-drawer">
      {history.error && <ErrorResult error={history.error} onRetry={history.reload} />}
      {!history.loading && !history.error && entries.length === 0 && <Empty description={t('history.empty')} />}
      <Timeline
        items={entries.map((entry, i) => ({
          key: i,
          content: (
            <div data-testid="history-entry" data-action={entry.action}>
              <Typography.Text strong>{t(`history.action.${entry.action}` as MessageKey)}</Typography.Text>
              <div>
                <Typography.Text type="secondary">{formatDateTime(entry.at)}</Typography.Text>
              </div>
              <div data-testid="history-by">{t('history.by', { name: entry.by })}</div>
              {entry.reason && <div data-testid="history-reason">{t('history.reason', { reason: entry.reason })}</div>}
              {entry.approvedBy && <div data-testid="history-approved-by">{t('history.approvedBy', { name: entry.approvedBy })}</div>}
              {entry.changes.length > 0 && (
                <Table<Change>
                  size="small"
                  style={{ marginTop: 8 }}
                  rowKey={(c) => `${c.studentName}-${c.column}`}
                  pagination={entry.changes.length > 10 ? { pageSize: 10, size: 'small' } : false}
                  dataSource={entry.changes}
                  columns={[
                    { title: t('history.student'), dataIndex: 'studentName', key: 'student' },
                    { title: t('history.column'), dataIndex: 'column', key: 'column', width: 90 },
                    {
                      title: t('history.change'),
                      key: 'change',
                      render: (_v, c) => <ChangeValue old={c.old} next={c.new} />,
                    },
                  ]}
                />
              )}
            </div>
          ),
        }))}
      />
      </div>
    </Drawer>
  );
}
