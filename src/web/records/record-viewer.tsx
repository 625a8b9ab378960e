/**
 * The in-app record viewer: a student's versions (newest first) beside the chosen version's
 * PDF, shown by the browser's own PDF viewer in an <iframe> (the preview route is served
 * inline and may be framed by this site only), with the PDF and XML downloads.
 */
import { useEffect, useState } from 'react';
import { Alert, Button, Empty, Flex, List, Modal, Space, Tag, Typography } from 'antd';
import { DownloadOutlined, ExportOutlined } from '@ant-design/icons';
import { ErrorResult } from '../components/error-result.tsx';
import { PageLoader } from '../components/page-loader.tsx';
import { formatDateTime } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { recordStateColor, useRecordStateLabel, useRecordStateName } from './record-state.tsx';
import { recordsApi } from './records-api.ts';
import { SignatureTimeline } from '../signing/signature-timeline.tsx';
import { VersionCorrections } from '../corrections/version-corrections.tsx';

export interface ViewedStudent {
  studentId: string;
  fullName: string;
}

export function RecordViewer({ student, onClose }: { student: ViewedStudent | null; onClose: () => void }) {
  const { t } = useLocale();
  return (
    <Modal
      open={student !== null}
      title={student ? t('records.viewerTitle', { name: student.fullName }) : ''}
      onCancel={onClose}
      footer={null}
      width="min(1200px, 96vw)"
      styles={{ body: { minHeight: '70vh' } }}
      destroyOnHidden
    >
      {student && <ViewerBody student={student} />}
    </Modal>
  );
}

function ViewerBody({ student }: { student: ViewedStudent }) {
  const { t } = useLocale();
  const stateLabel = useRecordStateLabel();
  const stateName = useRecordStateName();
  const versions = useApiData(() => recordsApi.versions(student.studentId), [student.studentId]);
  const [chosen, setChosen] = useState<string | null>(null);
  const list = versions.data?.versions ?? [];
  useEffect(() => {
    if (!chosen && list[0]) setChosen(list[0].id);
  }, [chosen, list]);

  if (versions.loading && !versions.data) return <PageLoader />;
  if (versions.error) return <ErrorResult error={versions.error} onRetry={versions.reload} />;
  if (list.length === 0) return <Empty description={t('records.noVersions')} />;
  const current = list.find((v) => v.id === chosen) ?? list[0]!;

  return (
    <Flex gap={16} wrap data-testid="record-viewer">
      <div style={{ flex: '0 0 240px', minWidth: 200 }}>
        <Typography.Title level={5}>{t('records.versions')}</Typography.Title>
        <List
          size="small"
          bordered
          dataSource={list}
          renderItem={(v) => (
            <List.Item
              data-testid={`record-version-${v.version}`}
              onClick={() => setChosen(v.id)}
              style={{ cursor: 'pointer', background: v.id === current.id ? 'rgba(22, 119, 255, 0.08)' : undefined }}
            >
              <List.Item.Meta
                title={
                  <Space size={6} wrap>
                    {t('records.versionItem', { version: v.version })}
                    <Tag color={recordStateColor(v.state)}>{stateName(v.state)}</Tag>
                  </Space>
                }
                description={
                  <>
                    {v.schoolYear} · {formatDateTime(v.frozenAt)}
                  </>
                }
              />
            </List.Item>
          )}
        />
        <Space orientation="vertical" style={{ marginTop: 12, width: '100%' }}>
          <Button block icon={<DownloadOutlined />} href={recordsApi.pdfUrl(current.id)} data-testid="record-download-pdf">
            {t('records.downloadPdf')}
          </Button>
          <Button block icon={<DownloadOutlined />} href={recordsApi.xmlUrl(current.id)} data-testid="record-download-xml">
            {t('records.downloadXml')}
          </Button>
          <Button block type="link" icon={<ExportOutlined />} href={recordsApi.previewUrl(current.id)} target="_blank" rel="noopener">
            {t('records.openTab')}
          </Button>
        </Space>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 12 }}>
          {t('records.frozenBy', { date: formatDateTime(current.frozenAt), who: current.frozenBy })}
          <br />
          <span style={{ wordBreak: 'break-all' }}>{t('records.digest', { digest: current.digest })}</span>
        </Typography.Paragraph>
      </div>
      <div style={{ flex: '1 1 560px', minWidth: 280 }}>
        {current.state === 'superseded' && <Alert type="warning" showIcon style={{ marginBottom: 8 }} title={stateLabel(current.state, current.version)} />}
        <VersionCorrections key={`corr-${current.id}`} versionId={current.id} onSelect={setChosen} onChanged={versions.reload} />
        <iframe
          key={current.id}
          data-testid="record-preview-frame"
          title={t('records.previewTitle', { name: student.fullName, version: current.version })}
          src={recordsApi.previewUrl(current.id)}
          style={{ width: '100%', height: '72vh', border: '1px solid #d9d9d9', borderRadius: 6 }}
        />
        <SignatureTimeline key={`sig-${current.id}`} versionId={current.id} onChanged={versions.reload} />
      </div>
    </Flex>
  );
}
