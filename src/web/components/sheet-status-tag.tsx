/** A grade sheet's state at a glance: open / submitted / locked, and how many marks are in. */
import { Space, Tag, Typography } from 'antd';
import type { MyClassSubject } from '../../server/api-types.ts';
import { useLocale } from '../i18n/locale-context.tsx';

type SheetSummary = Pick<MyClassSubject['sheets'][number], 'status' | 'complete' | 'entered' | 'required'> & { locked?: boolean };

export function SheetStatusTag({ sheet }: { sheet: SheetSummary }) {
  const { t } = useLocale();
  const tag =
    sheet.status === 'submitted' ? (
      <Tag color="green">{t('sheet.status.submitted')}</Tag>
    ) : sheet.locked ? (
      <Tag color="default">{t('sheet.status.locked')}</Tag>
    ) : (
      <Tag color="blue">{t('sheet.status.open')}</Tag>
    );
  return (
    <Space size={4} wrap>
      {tag}
      <Typography.Text type={sheet.complete ? 'success' : 'secondary'} style={{ fontSize: 13 }}>
        {t('sheet.entered', { entered: sheet.entered, required: sheet.required })}
      </Typography.Text>
    </Space>
  );
}
