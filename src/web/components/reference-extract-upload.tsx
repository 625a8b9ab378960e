/** One reference source (CSDL ngành or VNeID): its latest extract, and uploading a new one. */
import { useState } from 'react';
import { App, Button, Card, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import type { ReconciliationView } from '../../server/api-types.ts';
import { api, isApiError } from '../api.ts';
import { formatDateTime } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';

type Source = 'csdl_nganh' | 'vneid';

interface ReferenceExtractUploadProps {
  source: Source;
  loaded: ReconciliationView['sources'][number] | undefined;
  canUpload: boolean;
  onUploaded: () => void;
}

export function ReferenceExtractUpload({ source, loaded, canUpload, onUploaded }: ReferenceExtractUploadProps) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const name = t(`recon.source.${source}`);

  const upload = async (file: File) => {
    setBusy(true);
    try {
      const result = await api.uploadReferenceExtract(source, file);
      void message.success(t('recon.uploaded', { rows: result.rows, file: result.fileName }));
      onUploaded();
    } catch (error) {
      void message.error({ content: isApiError(error) ? error.message : String(error), duration: 8 });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={name} data-testid={`extract-${source}`}>
      <Typography.Paragraph type={loaded ? undefined : 'secondary'} style={{ marginBottom: 8 }}>
        {loaded ? t('recon.loaded', { file: loaded.fileName, rows: loaded.rows, at: formatDateTime(loaded.loadedAt) }) : t('recon.noExtract')}
      </Typography.Paragraph>
      {canUpload && (
        <Upload
          accept=".xlsx,.csv"
          showUploadList={false}
          beforeUpload={(file) => {
            void upload(file);
            return false;
          }}
        >
          <Button icon={<UploadOutlined />} loading={busy} data-testid={`extract-upload-${source}`}>
            {t('recon.upload', { source: name })}
          </Button>
        </Upload>
      )}
    </Card>
  );
}
