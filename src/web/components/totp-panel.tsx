/** Two-step verification on the account page: set it up, or turn it off with the password. */
import { useState } from 'react';
import { Alert, App, Button, Flex, Input, Typography } from 'antd';
import { api } from '../api.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSession, useSignedInSession } from '../session/session-context.tsx';
import { TotpEnrol } from './totp-enrol.tsx';

export function TotpPanel() {
  const { t } = useLocale();
  const session = useSignedInSession();
  const { refresh } = useSession();
  const { message } = App.useApp();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (!session.user.totpEnabled) {
    return (
      <Flex vertical gap={12}>
        <Typography.Text type="secondary" data-testid="totp-status">
          {t('totp.disabled')}
        </Typography.Text>
        <TotpEnrol onDone={() => void message.success(t('totp.enabledDone'))} />
      </Flex>
    );
  }

  const disable = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.totpDisable(password);
      setPassword('');
      await refresh();
      void message.success(t('totp.disabledDone'));
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Flex vertical gap={12} style={{ maxWidth: 420 }}>
      <Typography.Text data-testid="totp-status">{t('totp.enabled')}</Typography.Text>
      {error && <Alert type="error" showIcon title={error} />}
      <Input.Password
        aria-label={t('totp.disablePassword')}
        placeholder={t('totp.disablePassword')}
        autoComplete="current-password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
      />
      <div>
        <Button danger loading={busy} disabled={!password} onClick={() => void disable()} data-testid="totp-disable">
          {t('totp.disable')}
        </Button>
      </div>
    </Flex>
  );
}
