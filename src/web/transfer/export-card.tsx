/**
 * Sending side: pick a class and a student, name the receiving school and the reason, and
 * export the package with one's password (it unlocks the school seal that signs the
 * manifest); and the exported packages with their download link and acknowledgment status,
 * with the upload of the receiving school's acknowledgment.
 */
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import { DownloadOutlined, ExportOutlined, UploadOutlined } from '@ant-design/icons';
import type { TransferOutView } from '../../server/api-types.ts';
import { api } from '../api.ts';
import { formatDateTime } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { transferApi } from './transfer-api.ts';
import { EmptyState } from '../help/empty-state.tsx';

export function ExportCard({ onExported }: { onExported: () => void }) {
  const { t } = useLocale();
  const classes = useApiData(() => api.classes(), []);
  const [classId, setClassId] = useState<string | undefined>();
  const students = useApiData(() => (classId ? api.classStudents(classId) : Promise.resolve(null)), [classId]);
  const [studentId, setStudentId] = useState<string | undefined>();
  const [destination, setDestination] = useState('');
  const [reason, setReason] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ type: 'success' | 'error'; title: string; text?: string } | null>(null);

  const submit = async () => {
    if (!studentId) return;
    setBusy(true);
    setNotice(null);
    try {
      const r = await transferApi.exportPackage({ studentId, destination, reason, password });
      setNotice({ type: 'success', title: t('transfers.export.done', { name: r.transfer.studentName }) });
      setPassword('');
      onExported();
    } catch (err) {
      setNotice({ type: 'error', title: t('transfers.export.failed'), text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t('transfers.export.title')} data-testid="transfer-export-card">
      <Typography.Paragraph type="secondary">{t('transfers.export.hint')}</Typography.Paragraph>
      <Form layout="vertical" onFinish={() => void submit()} style={{ maxWidth: 560 }}>
        <Space wrap style={{ width: '100%' }}>
          <Form.Item label={t('transfers.export.class')} required style={{ minWidth: 140 }}>
            <Select data-testid="transfer-export-class" value={classId} onChange={(v) => (setClassId(v), setStudentId(undefined))} options={(classes.data?.classes ?? []).map((c) => ({ value: c.id, label: c.name }))} showSearch={{ optionFilterProp: 'label' }} />
          </Form.Item>
          <Form.Item label={t('transfers.export.student')} required style={{ minWidth: 280 }}>
            <Select data-testid="transfer-export-student" value={studentId} onChange={setStudentId} disabled={!classId} options={(students.data?.students ?? []).map((s) => ({ value: s.id, label: `${s.fullName} (${s.studentCode})` }))} showSearch={{ optionFilterProp: 'label' }} />
          </Form.Item>
        </Space>
        <Form.Item label={t('transfers.export.destination')} required>
          <Input data-testid="transfer-export-destination" value={destination} onChange={(e) => setDestination(e.target.value)} maxLength={300} />
        </Form.Item>
        <Form.Item label={t('transfers.export.reason')} required>
          <Input data-testid="transfer-export-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} />
        </Form.Item>
        <Form.Item label={t('transfers.export.password')} required>
          <Input.Password data-testid="transfer-export-password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" icon={<ExportOutlined />} loading={busy} disabled={!studentId || destination.trim().length < 2 || reason.trim().length < 2 || !password} data-testid="transfer-export-submit">
          {t('transfers.export.submit')}
        </Button>
      </Form>
      {notice && <Alert style={{ marginTop: 16 }} type={notice.type} showIcon title={notice.title} description={notice.text} data-testid="transfer-export-notice" />}
    </Card>
  );
}

/** The exported packages (download, acknowledgment status) and the acknowledgment upload. */
export function ExportedCard({ transfers, loading, onChanged }: { transfers: TransferOutView[]; loading: boolean; onChanged: () => void }) {
  const { t } = useLocale();
  const [notice, setNotice] = useState<{ type: 'success' | 'error'; title: string; text?: string } | null>(null);
  const uploadAck = async (file: File) => {
    setNotice(null);
    try {
      const r = await transferApi.uploadAcknowledgment(file);
      setNotice({ type: 'success', title: t('transfers.ack.done', { school: r.transfer.receivingSchool ?? '' }) });
      onChanged();
    } catch (err) {
      setNotice({ type: 'error', title: t('transfers.ack.refused'), text: err instanceof Error ? err.message : String(err) });
    }
  };
  return (
    <Card
      size="small"
      title={t('transfers.export.list')}
      data-testid="transfer-exported-card"
      extra={
        <Upload accept=".xml,application/xml" showUploadList={false} beforeUpload={(f) => (void uploadAck(f), false)}>
          <Button size="small" icon={<UploadOutlined />} data-testid="transfer-ack-upload">
            {t('transfers.ack.upload')}
          </Button>
        </Upload>
      }
    >
      {notice && <Alert style={{ marginBottom: 12 }} type={notice.type} showIcon title={notice.title} description={notice.text} data-testid="transfer-ack-notice" />}
      <Table<TransferOutView>
        data-testid="transfer-export-table"
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={transfers}
        locale={{ emptyText: <EmptyState compact testId="transfer-export-empty" what={t('transfers.export.none')} next={t('empty.transfersExport.next', { button: t('transfers.export.submit') })} help={{ page: 'van-thu', anchor: 'chuyen-truong' }} /> }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('transfers.col.student'), dataIndex: 'studentName', key: 'student' },
          { title: t('transfers.col.to'), dataIndex: 'destination', key: 'to' },
          { title: t('transfers.col.when'), dataIndex: 'createdAt', key: 'when', render: (v: string) => formatDateTime(v) },
          { title: t('transfers.col.records'), dataIndex: 'recordCount', key: 'records', align: 'right' },
          { title: t('transfers.col.by'), dataIndex: 'createdBy', key: 'by' },
          { title: t('transfers.col.status'), key: 'status', render: (_v, r) => <Tag color={r.status === 'acknowledged' ? 'success' : 'processing'}>{t(r.status === 'acknowledged' ? 'transfers.status.acknowledged' : 'transfers.status.exported')}</Tag> },
          {
            title: '',
            key: 'download',
            render: (_v, r) => (
              <a href={transferApi.packageUrl(r.id)} download>
                <DownloadOutlined /> {t('transfers.export.download')}
              </a>
            ),
          },
        ]}
      />
    </Card>
  );
}
