/** The student's classes over time: when they joined (and how), when and why they left. */
import { Card, Tag, Timeline, Typography } from 'antd';
import type { StudentProfileView } from '../../server/api-types.ts';
import type { MessageKey } from '../i18n/index.ts';
import { isMessageKey } from '../i18n/index.ts';
import { formatDate } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';

export function ClassHistoryTimeline({ history }: { history: StudentProfileView['history'] }) {
  const { t } = useLocale();
  const label = (key: string) => (isMessageKey(key) ? t(key as MessageKey) : key.split('.').at(-1));
  return (
    <Card title={t('student.history')} size="small" data-testid="class-history">
      <Timeline
        items={history.map((h) => ({
          color: h.status === 'active' ? 'green' : 'gray',
          content: (
            <div>
              <Typography.Text strong>
                {h.schoolYear} · {t('student.history.enrolled', { name: h.className, date: formatDate(h.enrolledOn) || '?' })}
              </Typography.Text>{' '}
              <Tag>{label(`student.joinedAs.${h.joinedAs}`)}</Tag>
              <Tag color={h.status === 'active' ? 'green' : 'default'}>{label(`student.status.${h.status}`)}</Tag>
              {h.leftOn && <div>{t('student.history.left', { date: formatDate(h.leftOn) })}</div>}
              {h.note && <Typography.Text type="secondary">{h.note}</Typography.Text>}
            </div>
          ),
        }))}
      />
    </Card>
  );
}
