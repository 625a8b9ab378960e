/** Rejections grouped by code, with who must fix them, and "resubmit after correction". */
import { Alert, Button, Card, Empty, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { SyncRejectionGroup } from '../../server/api-types.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { ItemStatusTag } from './sync-tags.tsx';

const OWNER_COLORS: Record<SyncRejectionGroup['owner'], string> = { homeroom: 'blue', subject_teacher: 'purple', clerk: 'magenta', it: 'default' };

export function RejectionsCard({ groups, canManage, busy, onResubmit }: { groups: SyncRejectionGroup[]; canManage: boolean; busy: boolean; onResubmit: (ids: string[]) => void }) {
  const { t } = useLocale();
  const [selected, setSelected] = useState<string[]>([]);
  return (
    <Card
      title={t('sync.rejections')}
      style={{ marginBottom: 16 }}
      data-testid="sync-rejections"
      extra={
        canManage && groups.length ? (
          <Button danger data-testid="sync-resubmit" disabled={!selected.length || busy} onClick={() => (onResubmit(selected), setSelected([]))}>
            {t('sync.resubmit', { count: String(selected.length) })}
          </Button>
        ) : null
      }
    >
      {!groups.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('sync.noRejections')} />
      ) : (
        <>
          <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('sync.resubmitHint')} />
          {groups.map((g) => (
            <div key={g.code} style={{ marginBottom: 16 }} data-testid={`sync-group-${g.code}`}>
              <Typography.Text strong>
                {g.code} · {g.count}
              </Typography.Text>{' '}
              <Tag color={OWNER_COLORS[g.owner]}>
                {t('sync.owner')}: {g.ownerLabel}
              </Tag>
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                style={{ marginTop: 8 }}
                dataSource={g.items}
                rowSelection={canManage ? { selectedRowKeys: selected.filter((id) => g.items.some((i) => i.id === id)), onChange: (keys) => setSelected((prev) => [...prev.filter((id) => !g.items.some((i) => i.id === id)), ...(keys as string[])]), getCheckboxProps: (r) => ({ disabled: r.versionState !== 'sealed' }) } : undefined}
                columns={[
                  { title: t('sync.col.student'), dataIndex: 'studentName' },
                  { title: t('sync.col.class'), dataIndex: 'className' },
                  { title: t('sync.col.version'), dataIndex: 'version', render: (x: number) => `v${x}` },
                  { title: t('sync.col.message'), dataIndex: 'message' },
                  { title: t('sync.fixer'), dataIndex: 'fixer', render: (x: string | null) => x ?? '—' },
                  {
                    title: t('sync.col.status'),
                    key: 's',
                    render: (_: unknown, r) => (r.successor ? <Tag color="cyan">{t('sync.successor', { version: String(r.successor.version), status: r.successor.status ? t(`sync.status.${r.successor.status}`) : r.successor.state })}</Tag> : <ItemStatusTag item={r} />),
                  },
                ]}
              />
            </div>
          ))}
        </>
      )}
    </Card>
  );
}
