/**
 * The page a share link opens (/share/<token>), without signing in: which record this is
 * (school, student, year, version), whether the school has replaced it since, when the link
 * expires, the sealed PDF shown in the page, and the PDF / XML downloads. An expired,
 * revoked or wrong link says so plainly.
 */
import { Alert, Button, Card, Descriptions, Flex, Result, Space, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { LanguageSwitch } from '../components/language-switch.tsx';
import { PageLoader } from '../components/page-loader.tsx';
import { formatDateTime } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { accessApi } from './access-api.ts';

/** The token of a share-link path, or null when the path is not one. */
export function shareTokenOf(pathname: string): string | null {
  const m = /^\/share\/([A-Za-z0-9_-]{10,100})\/?$/.exec(pathname);
  return m ? m[1]! : null;
}

export function SharedRecordPage({ token }: { token: string }) {
  const { t } = useLocale();
  const data = useApiData(() => accessApi.shared(token), [token]);

  return (
    <div style={{ maxWidth: 1100, margin: '0 auto', padding: 16 }}>
      <Flex justify="space-between" align="center" style={{ marginBottom: 12 }}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="shared-title">
          {t('shared.title')}
        </Typography.Title>
        <LanguageSwitch />
      </Flex>
      {data.error ? (
        <Result status="warning" title={t('shared.unavailable')} subTitle={data.error.message} extra={<Button href="/">{t('shared.home')}</Button>} data-testid="shared-error" />
      ) : !data.data ? (
        <PageLoader />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }}>
          {data.data.successorVersion !== null && <Alert type="warning" showIcon title={t('shared.superseded', { version: data.data.successorVersion })} data-testid="shared-superseded" />}
          <Card size="small">
            <Descriptions size="small" column={{ xs: 1, md: 2 }} data-testid="shared-facts">
              <Descriptions.Item label={t('shared.school')}>{data.data.schoolName}</Descriptions.Item>
              <Descriptions.Item label={t('shared.student')}>{data.data.studentName}</Descriptions.Item>
              <Descriptions.Item label={t('shared.year')}>{data.data.schoolYear}</Descriptions.Item>
              <Descriptions.Item label={t('shared.version')}>v{data.data.version}</Descriptions.Item>
              <Descriptions.Item label={t('shared.expires')}>{formatDateTime(data.data.expiresAt)}</Descriptions.Item>
              {data.data.purpose && <Descriptions.Item label={t('shared.purpose')}>{data.data.purpose}</Descriptions.Item>}
              <Descriptions.Item label={t('shared.sha256')}>
                <Typography.Text code style={{ fontSize: 11, wordBreak: 'break-all' }}>
                  {data.data.sha256}
                </Typography.Text>
              </Descriptions.Item>
            </Descriptions>
            <Space wrap style={{ marginTop: 8 }}>
              <Button type="primary" icon={<DownloadOutlined />} href={accessApi.sharedPdfUrl(token, true)} data-testid="shared-pdf">
                {t('shared.downloadPdf')}
              </Button>
              <Button icon={<DownloadOutlined />} href={accessApi.sharedXmlUrl(token)} data-testid="shared-xml">
                {t('shared.downloadXml')}
              </Button>
            </Space>
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('shared.verifyHint')}
              </Typography.Text>
            </div>
          </Card>
          <iframe title="pdf" src={accessApi.sharedPdfUrl(token)} style={{ width: '100%', height: '80vh', border: '1px solid #eee' }} data-testid="shared-pdf-frame" />
        </Space>
      )}
    </div>
  );
}
