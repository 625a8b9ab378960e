/**
 * A card to upload, replace or remove a signature image (Decree 30/2020): one's own blue
 * signature on the account page, the school's red seal on the school settings page. The
 * server checks the PNG (transparent background, ≤ 1 MB) and says what is wrong.
 */
import { useState } from 'react';
import { App, Button, Card, Empty, Flex, Image, Popconfirm, Space, Typography, Upload } from 'antd';
import { DeleteOutlined, UploadOutlined } from '@ant-design/icons';
import { isApiError } from '../api.ts';
import { ErrorResult } from '../components/error-result.tsx';
import { PageLoader } from '../components/page-loader.tsx';
import { formatDateTime } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { signatureImageApi, type ImageTarget } from './signature-image-api.ts';

const MAX_BYTES = 1024 * 1024;

export function SignatureImageCard({ target }: { target: ImageTarget }) {
  const { t, locale } = useLocale();
  const mm = (v: number) => (locale === 'vi' ? v.toFixed(1).replace('.', ',') : v.toFixed(1)); // 35,9 in Vietnamese
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const data = useApiData(() => signatureImageApi.get(target), [target]);
  const seal = target === 'seal';
  const testId = seal ? 'seal-image' : 'signature-image';

  const fail = (error: unknown) => void message.error(isApiError(error) ? error.message : String(error));
  const upload = (file: File) => {
    if (file.size > MAX_BYTES) {
      void message.error(t('signatureImage.hint'));
      return;
    }
    setBusy(true);
    signatureImageApi
      .put(target, file)
      .then(() => {
        void message.success(t('signatureImage.uploaded'));
        data.reload();
      })
      .catch(fail)
      .finally(() => setBusy(false));
  };
  const remove = () => {
    setBusy(true);
    signatureImageApi
      .remove(target)
      .then(() => {
        void message.success(t('signatureImage.removed'));
        data.reload();
      })
      .catch(fail)
      .finally(() => setBusy(false));
  };

  const image = data.data?.image ?? null;
  let body;
  if (data.loading && !data.data) body = <PageLoader />;
  else if (data.error) body = <ErrorResult error={data.error} onRetry={data.reload} />;
  else
    body = (
      <Flex vertical gap={12}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t(seal ? 'signatureImage.sealHint' : 'signatureImage.hint')}
        </Typography.Paragraph>
        {image ? (
          <Flex gap={16} align="center" wrap>
            {/* A checkerboard shows that the background really is transparent. */}
            <div className="signature-image-preview" style={{ padding: 8, border: '1px solid #d9d9d9', borderRadius: 6, background: 'repeating-conic-gradient(#f0f0f0 0% 25%, #ffffff 0% 50%) 50% / 16px 16px' }}>
              <Image src={image.dataUrl} alt={t(seal ? 'signatureImage.sealAlt' : 'signatureImage.alt')} height={seal ? 120 : 80} preview={false} data-testid={`${testId}-preview`} />
            </div>
            <Flex vertical gap={2}>
              <Typography.Text>{t('signatureImage.details', { width: image.width, height: image.height, at: formatDateTime(image.uploadedAt) })}</Typography.Text>
              {image.sizeMm && (
                <Typography.Text type="secondary">
                  {t('signatureImage.size', { width: mm(image.sizeMm.width), height: mm(image.sizeMm.height) })}
                </Typography.Text>
              )}
            </Flex>
          </Flex>
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(seal ? 'signatureImage.sealNone' : 'signatureImage.none')} />
        )}
        <Space wrap>
          <Upload
            accept="image/png"
            showUploadList={false}
            maxCount={1}
            beforeUpload={(file) => {
              upload(file);
              return false; // we upload ourselves, with the CSRF header
            }}
          >
            <Button icon={<UploadOutlined />} loading={busy} data-testid={`${testId}-upload`}>
              {t(image ? 'signatureImage.replace' : 'signatureImage.upload')}
            </Button>
          </Upload>
          {image && (
            <Popconfirm title={t('signatureImage.removeConfirm')} onConfirm={remove} okText={t('signatureImage.remove')} cancelText={t('common.cancel')}>
              <Button danger icon={<DeleteOutlined />} disabled={busy} data-testid={`${testId}-remove`}>
                {t('signatureImage.remove')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      </Flex>
    );

  return (
    <Card title={t(seal ? 'signatureImage.sealTitle' : 'signatureImage.title')} size="small" data-testid={`${testId}-card`}>
      {body}
    </Card>
  );
}
