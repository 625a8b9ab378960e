/**
 * The student profile's "records from other schools": sealed records received by transfer,
 * read-only, with the verification made when they were received and their PDF / XML as
 * received. Shows nothing when there are none.
 */
import { Card, List, Space, Tag, Typography } from 'antd';
import { FilePdfOutlined, FileTextOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { formatDateTime } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { transferApi } from './transfer-api.ts';

export function ExternalRecordsCard({ studentId }: { studentId: string }) {
  const { t } = useLocale();
  const records = useApiData(() => transferApi.externalRecords(studentId), [studentId]);
  const list = records.data?.records ?? [];
  if (list.length === 0) return null;
  return (
    <Card size="small" title={t('transfers.external.title')} style={{ marginTop: 16 }} data-testid="external-records-card">
      <Typography.Paragraph type="secondary">{t('transfers.external.hint')}</Typography.Paragraph>
      <List
        dataSource={list}
        renderItem={(r) => (
          <List.Item data-testid={`external-record-${r.schoolYear}`}>
            <Space orientation="vertical" size={2}>
              <Typography.Text strong>
                {r.schoolYear} · {r.className} · v{r.version}
              </Typography.Text>
              <Typography.Text>{r.sourceSchool}</Typography.Text>
              <Space size={4} wrap>
                <Tag color={r.status === 'passed' ? 'success' : 'error'} icon={<SafetyCertificateOutlined />}>
                  {t('transfers.external.verified', { date: formatDateTime(r.verifiedAt) })}
                </Tag>
                <Tag>{t('transfers.external.signatures', { count: r.signatures.length })}</Tag>
              </Space>
              <Space size={12}>
                <a href={transferApi.externalFileUrl(r.id, 'pdf')} target="_blank" rel="noreferrer">
                  <FilePdfOutlined /> {t('transfers.external.pdf')}
                </a>
                <a href={transferApi.externalFileUrl(r.id, 'xml')} download>
                  <FileTextOutlined /> {t('transfers.external.xml')}
                </a>
              </Space>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}
