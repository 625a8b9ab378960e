/** TOTP set-up: fetch a secret, show it (key, otpauth link, QR), confirm with a code. */
import { useState } from 'react';
import { Alert, Button, Flex, Input, QRCode, Typography } from 'antd';
import { api } from '../api.ts';
import type { TotpSetup } from '../api-models.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSession } from '../session/session-context.tsx';

export function TotpEnrol({ onDone }: { onDone?: () => void }) {
  const { t } = useLocale();
  const { refresh } = useSession();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };
  const start = () => run(async () => setSetup(await api.totpSetup()));
  const enable = () =>
    run(async () => {
      await api.totpEnable(code.trim());
      await refresh();
      onDone?.();
    });

  const errorAlert = error && <Alert type="error" showIcon title={error} data-testid="totp-error" />;
  if (!setup) {
    return (
      <Flex vertical gap={12} align="flex-start">
        {errorAlert}
        <Button type="primary" loading={busy} onClick={() => void start()} data-testid="totp-start">
          {t('totp.start')}
        </Button>
      </Flex>
    );
  }

  return (
    <Flex vertical gap={12} style={{ maxWidth: 520 }}>
      <Typography.Text>{t('totp.step1')}</Typography.Text>
      <Flex gap={16} wrap align="flex-start">
        <QRCode value={setup.otpauthUrl} size={160} bordered={false} />
        <Flex vertical gap={4} style={{ minWidth: 0, flex: 1 }}>
          <Typography.Text type="secondary">{t('totp.secret')}</Typography.Text>
          <Typography.Text code copyable data-testid="totp-secret" style={{ wordBreak: 'break-all' }}>
            {setup.secret}
          </Typography.Text>
          <Typography.Text type="secondary">{t('totp.url')}</Typography.Text>
          <Typography.Text copyable data-testid="totp-url" style={{ wordBreak: 'break-all', fontSize: 12 }}>
            {setup.otpauthUrl}
          </Typography.Text>
        </Flex>
      </Flex>
      <Typography.Text>{t('totp.step2')}</Typography.Text>
      {errorAlert}
      <Flex gap={8} wrap>
        <Input
          data-testid="totp-code"
          aria-label={t('totp.code')}
          placeholder="123456"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          value={code}
          onChange={(event) => setCode(event.target.value)}
          onPressEnter={() => void enable()}
          style={{ width: 140 }}
        />
        <Button
          type="primary"
          loading={busy}
          disabled={!/^\d{6}$/.test(code.trim())}
          onClick={() => void enable()}
          data-testid="totp-enable"
        >
          {t('totp.enable')}
        </Button>
      </Flex>
    </Flex>
  );
}
