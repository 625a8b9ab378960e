/** Attach one scanned letter (PDF, PNG or JPEG) through POST /api/uploads. */
import { useState } from 'react';
import { App, Button, Space, Typography, Upload } from 'antd';
import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { api, isApiError } from '../api.ts';
import type { UploadedFile } from '../api-models.ts';
import { useLocale } from '../i18n/locale-context.tsx';

export function AttachmentUpload({ value, onChange }: { value: UploadedFile | null; onChange: (file: UploadedFile | null) => void }) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);

  return (
    <Space wrap>
      <Upload
        accept="application/pdf,image/png,image/jpeg"
        showUploadList={false}
        maxCount={1}
        beforeUpload={(file) => {
          setBusy(true);
          api
            .upload(file)
            .then((uploaded) => onChange(uploaded))
            .catch((error: unknown) => void message.error(isApiError(error) ? error.message : String(error)))
            .finally(() => setBusy(false));
          return false; // we upload ourselves, with the CSRF header
        }}
      >
        <Button icon={<UploadOutlined />} loading={busy} data-testid="attachment-upload">
          {t('changeRequest.upload')}
        </Button>
      </Upload>
      {value && (
        <Typography.Text data-testid="attachment-name">
          <PaperClipOutlined /> {value.name}{' '}
          <Button type="link" size="small" onClick={() => onChange(null)}>
            {t('changeRequest.remove')}
          </Button>
        </Typography.Text>
      )}
    </Space>
  );
}
