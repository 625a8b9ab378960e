/**
 * "Việc của tôi" on the home page: the person's queue with counts and due dates, most urgent
 * first, each with a button to the page that does it.
 */
import { Badge, Button, Card, Flex, List, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { formatDate } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSignedInSession } from '../session/session-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { planApi } from './plan-api.ts';
import { StatusTag } from './status-tag.tsx';
import { EmptyState } from '../help/empty-state.tsx';

export function MyWorkPanel() {
  const { t, locale } = useLocale();
  const session = useSignedInSession();
  const work = useApiData(() => planApi.myWork(), [session.activeSchoolId]);
  const data = work.data;
  return (
    <Card
      data-testid="my-work"
      loading={work.loading && !data}
      title={t('myWork.title')}
      style={{ marginBottom: 24 }}
      extra={
        data && (
          <Flex gap={4} wrap>
            {data.counts.overdue > 0 && <Tag color="error">{t('myWork.overdue', { n: data.counts.overdue })}</Tag>}
            {data.counts.dueSoon > 0 && <Tag color="warning">{t('myWork.dueSoon', { n: data.counts.dueSoon })}</Tag>}
            <Tag>{t('myWork.total', { n: data.counts.total })}</Tag>
          </Flex>
        )
      }
    >
      {work.error && <Typography.Text type="danger">{work.error.message}</Typography.Text>}
      {data && data.items.length === 0 && <EmptyState compact testId="my-work-empty" what={t('myWork.empty')} next={t('empty.myWork.next')} />}
      {data && data.items.length > 0 && (
        <List
          size="small"
          dataSource={data.items}
          renderItem={(item) => (
            <List.Item
              data-testid="my-work-item"
              data-kind={item.kind}
              actions={[
                <Link key="go" to={item.link}>
                  <Button size="small" type={item.status === 'overdue' ? 'primary' : 'default'}>
                    {t('myWork.open')}
                  </Button>
                </Link>,
              ]}
            >
              <Flex gap={8} align="center" wrap style={{ minWidth: 0 }}>
                <StatusTag status={item.status} />
                <Badge count={item.count} overflowCount={999} color={item.status === 'overdue' ? '#cf1322' : '#8c8c8c'} />
                <Typography.Text>{item.label[locale]}</Typography.Text>
                {item.dueOn && <Typography.Text type="secondary">{t('myWork.due', { date: formatDate(item.dueOn) })}</Typography.Text>}
              </Flex>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
