/**
 * Receiving a transfer package: choose the class, the .zip and one's password (it unlocks
 * the school seal that signs the acknowledgment), then "Verify and receive". A refusal shows
 * the server's message as is — it names the file and the check that failed; success shows
 * who was received, from where, and the acknowledgment to download for the sending school.
 */
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Select, Space, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import type { TransferInResultView } from '../../server/api-types.ts';
import { api } from '../api.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { transferApi } from './transfer-api.ts';

export function ImportCard({ onImported }: { onImported: () => void }) {
  const { t } = useLocale();
  const classes = useApiData(() => api.classes(), []);
  const [classId, setClassId] = useState<string | undefined>();
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<TransferInResultView | null>(null);

  const submit = async () => {
    if (!classId || !file || !password) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const r = await transferApi.importPackage(classId, password, file);
      setResult(r.transfer);
      setPassword('');
      onImported();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t('transfers.import.title')} data-testid="transfer-import-card">
      <Typography.Paragraph type="secondary">{t('transfers.import.hint')}</Typography.Paragraph>
      <Form layout="vertical" onFinish={() => void submit()} style={{ maxWidth: 560 }}>
        <Form.Item label={t('transfers.import.class')} required>
          <Select
            data-testid="transfer-import-class"
            placeholder={t('transfers.import.classPlaceholder')}
            loading={classes.loading}
            value={classId}
            onChange={setClassId}
            showSearch={{ optionFilterProp: 'label' }}
            options={(classes.data?.classes ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
        </Form.Item>
        <Form.Item label={t('transfers.import.file')} required>
          <Upload.Dragger
            data-testid="transfer-import-file"
            accept=".zip,application/zip"
            multiple={false}
            maxCount={1}
            beforeUpload={(f) => {
              setFile(f);
              setResult(null);
              setError(null);
              return false;
            }}
            onRemove={() => setFile(null)}
            fileList={file ? [{ uid: 'package', name: file.name, status: 'done' }] : []}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('transfers.import.choose')}</p>
          </Upload.Dragger>
        </Form.Item>
        <Form.Item label={t('transfers.import.password')} required>
          <Input.Password data-testid="transfer-import-password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" icon={<SafetyCertificateOutlined />} loading={busy} disabled={!classId || !file || !password} data-testid="transfer-import-submit">
          {busy ? t('transfers.import.checking') : t('transfers.import.submit')}
        </Button>
      </Form>
      {error && <Alert style={{ marginTop: 16 }} type="error" showIcon title={t('transfers.import.refused')} description={error} data-testid="transfer-import-error" />}
      {result && (
        <Alert
          style={{ marginTop: 16 }}
          type="success"
          showIcon
          data-testid="transfer-import-result"
          title={t('transfers.import.done', { name: result.studentName, className: result.className })}
          description={
            <Space orientation="vertical">
              <span>
                {t('transfers.import.doneDetail', {
                  school: result.sendingSchool.name,
                  count: result.records.length,
                  match: t(result.studentMatch === 'matched' ? 'transfers.import.matched' : 'transfers.import.created'),
                })}
              </span>
              <a href={transferApi.ackUrl(result.transferId)} download data-testid="transfer-import-ack">
                <DownloadOutlined /> {t('transfers.import.ack')}
              </a>
            </Space>
          }
        />
      )}
    </Card>
  );
}
