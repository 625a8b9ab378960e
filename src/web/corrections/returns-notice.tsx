/**
 * On the signing page: the returned records that concern me, each as "Bị trả lại: <lý do> —
 * <ai>, <khi nào>", with a link to the corrections page. Shows nothing when there are none.
 */
import { Alert, Space } from 'antd';
import { Link } from 'react-router';
import { formatDateTime } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { correctionsApi } from './corrections-api.ts';

export function ReturnsNotice() {
  const { t } = useLocale();
  const data = useApiData(() => correctionsApi.returns(), []);
  const list = data.data?.returns ?? [];
  if (list.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 12 }}
      data-testid="returns-notice"
      title={t('corrections.returnsTitle')}
      description={
        <Space orientation="vertical" size={2}>
          {list.slice(0, 10).map((r) => (
            <span key={r.versionId}>
              <strong>
                {r.studentName} ({r.className}) v{r.version}
              </strong>
              : {t('corrections.returned', { reason: r.reason, who: r.returnedBy, when: formatDateTime(r.returnedAt) })}
            </span>
          ))}
          <Link to="/corrections">{t('corrections.title')} →</Link>
        </Space>
      }
    />
  );
}
