/** The bell in the top bar: unread daily digests; opening one shows its items and marks it read. */
import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, List, Popover, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import type { NotificationView } from '../../server/api-types.ts';
import { formatDate } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { StatusTag } from '../plan/status-tag.tsx';
import { planApi } from '../plan/plan-api.ts';
import { useSignedInSession } from '../session/session-context.tsx';
import { useApiData } from '../use-api-data.ts';

function Digest({ n, onRead }: { n: NotificationView; onRead: () => void }) {
  const { t, locale } = useLocale();
  return (
    <div style={{ maxWidth: 420 }}>
      <Typography.Text strong={!n.read}>{n.title}</Typography.Text>
      <List
        size="small"
        dataSource={n.items}
        renderItem={(i) => (
          <List.Item>
            <StatusTag status={i.status} /> <Link to={i.link} onClick={onRead}>{i.label[locale]}</Link> ({i.count}){i.dueOn ? ` — ${formatDate(i.dueOn)}` : ''}
          </List.Item>
        )}
      />
      {n.escalations.length > 0 && (
        <>
          <Typography.Text type="danger">{t('notify.escalations')}</Typography.Text>
          <List size="small" dataSource={n.escalations} renderItem={(e) => <List.Item>{e.label[locale]} — {e.className}: {e.pending} ({t('planBoard.daysOverdue', { n: e.daysOverdue })}) {e.who.join(', ')}</List.Item>} />
        </>
      )}
      {!n.read && (
        <Button size="small" type="link" onClick={onRead}>
          {t('notify.markRead')}
        </Button>
      )}
    </div>
  );
}

export function NotificationBell() {
  const { t } = useLocale();
  const session = useSignedInSession();
  const data = useApiData(() => planApi.notifications(), [session.activeSchoolId]);
  const [open, setOpen] = useState(false);
  const list = data.data?.notifications ?? [];
  const read = (id: string) => void planApi.markRead(id).then(data.reload, data.reload);
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      placement="bottomRight"
      title={t('notify.title')}
      content={
        <div data-testid="notifications" style={{ maxHeight: 420, overflowY: 'auto' }}>
          {list.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notify.empty')} /> : list.slice(0, 7).map((n) => <Digest key={n.id} n={n} onRead={() => read(n.id)} />)}
        </div>
      }
    >
      <Badge count={data.data?.unread ?? 0} size="small">
        <Button type="text" icon={<BellOutlined />} aria-label={t('notify.title')} data-testid="notification-bell" />
      </Badge>
    </Popover>
  );
}
