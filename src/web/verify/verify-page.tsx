/**
 * The public verification page (/verify and /verify/<code>, no sign-in, outside the signed-in
 * shell): an upload box and a code box; the QR code on a record opens /verify/<code> directly.
 * Vietnamese first, with the language switch.
 */
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Flex, Input, Space, Typography, Upload } from 'antd';
import { SafetyCertificateOutlined, UploadOutlined } from '@ant-design/icons';
import type { VerificationReportView } from '../../server/api-types.ts';
import { ApiError } from '../api.ts';
import { LanguageSwitch } from '../components/language-switch.tsx';
import { PageLoader } from '../components/page-loader.tsx';
import { useLocale } from '../i18n/locale-context.tsx';
import { VerificationReport } from './verification-report.tsx';
import { verifyApi } from './verify-api.ts';

export function VerifyPage({ initialCode }: { initialCode: string }) {
  const { t } = useLocale();
  const [code, setCode] = useState(initialCode);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<VerificationReportView | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (job: () => Promise<VerificationReportView>) => {
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      setReport(await job());
    } catch (e) {
      setError(e instanceof ApiError && e.status === 404 ? t('verify.notFound') : (e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const byCode = (c: string) => {
    if (!c.trim()) return;
    window.history.replaceState(null, '', `/verify/${encodeURIComponent(c.trim())}`);
    void run(() => verifyApi.byCode(c));
  };
  useEffect(() => {
    if (initialCode) byCode(initialCode);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [initialCode]);

  return (
    <div style={{ maxWidth: 980, margin: '0 auto', padding: 16 }}>
      <Flex justify="space-between" align="center" style={{ marginBottom: 12 }}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="verify-title">
          <SafetyCertificateOutlined /> {t('verify.title')}
        </Typography.Title>
        <Space>
          <LanguageSwitch />
          <Button href="/guide/xac-minh" type="link" data-testid="verify-guide">
            {t('help.button')}
          </Button>
          <Button href="/" type="link">
            {t('verify.signIn')}
          </Button>
        </Space>
      </Flex>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Typography.Paragraph type="secondary">{t('verify.intro')}</Typography.Paragraph>
        <Flex gap={16} wrap>
          <Upload
            accept=".pdf,.xml,application/pdf,application/xml,text/xml"
            maxCount={1}
            showUploadList={false}
            beforeUpload={(file) => {
              void run(() => verifyApi.upload(file));
              return false;
            }}
          >
            <Button type="primary" icon={<UploadOutlined />} disabled={busy} data-testid="verify-upload">
              {t('verify.upload')}
            </Button>
          </Upload>
          <Space.Compact style={{ maxWidth: 360, flex: 1 }}>
            <Input aria-label={t('verify.code')} placeholder={t('verify.codePlaceholder')} value={code} onChange={(e) => setCode(e.target.value)} onPressEnter={() => byCode(code)} maxLength={40} data-testid="verify-code" />
            <Button onClick={() => byCode(code)} disabled={busy} data-testid="verify-code-submit">
              {t('verify.check')}
            </Button>
          </Space.Compact>
        </Flex>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('verify.uploadHint')}
        </Typography.Text>
      </Card>
      {busy && <PageLoader />}
      {error && <Alert type="warning" showIcon title={error} data-testid="verify-error" />}
      {report && <VerificationReport report={report} />}
    </div>
  );
}
