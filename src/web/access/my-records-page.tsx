/**
 * "Học bạ của em": the student's (or a parent's children's) sealed record versions per
 * school year, each with View (the sealed PDF in the app), PDF and XML downloads, and
 * share links. Superseded versions stay listed, marked, pointing at the newer one.
 */
import { useState } from 'react';
import { Alert, Button, Card, Flex, Modal, Space, Tag, Typography } from 'antd';
import { DownloadOutlined, EyeOutlined, ShareAltOutlined } from '@ant-design/icons';
import type { MyRecordVersionView } from '../../server/api-types.ts';
import { PageLoader } from '../components/page-loader.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { formatDateTime } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSignedInSession } from '../session/session-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { accessApi } from './access-api.ts';
import { SharePanel } from './share-panel.tsx';
import { EmptyState } from '../help/empty-state.tsx';

interface Opened {
  version: MyRecordVersionView;
  schoolYear: string;
  mode: 'view' | 'share';
}

export function MyRecordsPage() {
  const { t } = useLocale();
  const session = useSignedInSession();
  const data = useApiData(() => accessApi.myRecords(), []);
  const [opened, setOpened] = useState<Opened | null>(null);
  const parent = session.user.roles.some((r) => r.role === 'parent' && r.schoolId === session.activeSchoolId);

  if (data.error) return <Alert type="error" showIcon title={data.error.message} />;
  if (!data.data) return <PageLoader />;
  const children = data.data.children;

  return (
    <>
      <PageTitle testId="my-records-title" subtitle={parent ? t('myRecords.parentIntro') : t('myRecords.intro')}>
        {t('myRecords.title')}
      </PageTitle>
      {children.length === 0 || children.every((c) => c.years.length === 0) ? (
        <EmptyState what={t('myRecords.none')} testId="my-records-empty" help={{ page: 'hoc-sinh-phu-huynh', anchor: 'xem-hoc-ba' }} />
      ) : (
        children.map((child) => (
          <Card key={child.studentId} title={child.fullName} extra={child.className ? t('myRecords.class', { name: child.className }) : null} style={{ marginBottom: 16 }} data-testid={`my-child-${child.studentId}`}>
            {child.years.length === 0 && <Typography.Text type="secondary">{t('myRecords.none')}</Typography.Text>}
            {child.years.map((y) => (
              <div key={y.schoolYear} style={{ marginBottom: 12 }}>
                <Typography.Title level={5}>{t('myRecords.year', { year: y.schoolYear })}</Typography.Title>
                <Flex vertical gap={8}>
                  {[...y.versions].reverse().map((v) => (
                    <Card size="small" key={v.versionId} data-testid={`my-version-${v.versionId}`}>
                      <Flex justify="space-between" align="center" wrap gap={8}>
                        <Space orientation="vertical" size={0}>
                          <Space>
                            <Typography.Text strong>{t('myRecords.version', { version: v.version })}</Typography.Text>
                            <Tag color={v.state === 'sealed' ? 'green' : 'orange'}>{v.state === 'sealed' ? t('myRecords.sealed') : t('myRecords.superseded')}</Tag>
                          </Space>
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {formatDateTime(v.frozenAt)}
                          </Typography.Text>
                          {v.successorVersion !== null && <Typography.Text type="warning">{t('myRecords.supersededBy', { version: v.successorVersion })}</Typography.Text>}
                        </Space>
                        <Space wrap>
                          <Button icon={<EyeOutlined />} disabled={!v.hasPdf} onClick={() => setOpened({ version: v, schoolYear: y.schoolYear, mode: 'view' })} data-testid="my-view">
                            {t('myRecords.view')}
                          </Button>
                          <Button icon={<DownloadOutlined />} disabled={!v.hasPdf} href={accessApi.myPdfUrl(v.versionId, true)} data-testid="my-pdf">
                            {t('myRecords.downloadPdf')}
                          </Button>
                          <Button icon={<DownloadOutlined />} href={accessApi.myXmlUrl(v.versionId)} data-testid="my-xml">
                            {t('myRecords.downloadXml')}
                          </Button>
                          {v.state === 'sealed' && (
                            <Button type="primary" ghost icon={<ShareAltOutlined />} onClick={() => setOpened({ version: v, schoolYear: y.schoolYear, mode: 'share' })} data-testid="my-share">
                              {t('myRecords.share')}
                            </Button>
                          )}
                        </Space>
                      </Flex>
                    </Card>
                  ))}
                </Flex>
              </div>
            ))}
          </Card>
        ))
      )}
      <Modal
        open={opened !== null}
        onCancel={() => setOpened(null)}
        footer={null}
        destroyOnHidden
        width={opened?.mode === 'view' ? 'min(1100px, 96vw)' : 'min(720px, 96vw)'}
        title={opened ? (opened.mode === 'view' ? t('myRecords.viewerTitle', { year: opened.schoolYear, version: opened.version.version }) : t('share.title')) : ''}
      >
        {opened?.mode === 'view' && (
          <iframe title="pdf" src={accessApi.myPdfUrl(opened.version.versionId)} style={{ width: '100%', height: '75vh', border: 0 }} data-testid="my-pdf-frame" />
        )}
        {opened?.mode === 'share' && <SharePanel versionId={opened.version.versionId} />}
      </Modal>
    </>
  );
}
