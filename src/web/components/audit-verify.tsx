/** "Kiểm tra chuỗi nhật ký": asks the server to re-check the hash chain and shows the verdict. */
import { useState } from 'react';
import { Alert, Button, Flex } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { api } from '../api.ts';
import type { AuditVerifyResult } from '../api-models.ts';
import { useLocale } from '../i18n/locale-context.tsx';

export function AuditVerify() {
  const { t } = useLocale();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<AuditVerifyResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  const verify = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await api.auditVerify());
    } catch (caught) {
      setResult(null);
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };

  let verdict = null;
  if (error) verdict = <Alert type="warning" showIcon title={error} />;
  else if (result?.ok) verdict = <Alert type="success" showIcon title={t('audit.verifyOk', { checked: result.checked })} />;
  else if (result?.firstBroken)
    verdict = <Alert type="error" showIcon title={t('audit.verifyBroken', { ...result.firstBroken })} />;
  else if (result) verdict = <Alert type="error" showIcon title={t('audit.verifyBrokenUnknown', { checked: result.checked })} />;

  return (
    <Flex vertical gap={12} style={{ marginBottom: 16 }}>
      <div>
        <Button
          data-testid="audit-verify"
          icon={<SafetyCertificateOutlined />}
          loading={busy}
          onClick={() => void verify()}
        >
          {t('audit.verify')}
        </Button>
      </div>
      {verdict && <div data-testid="audit-verify-result">{verdict}</div>}
    </Flex>
  );
}
