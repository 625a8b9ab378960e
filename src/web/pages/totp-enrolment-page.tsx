/** Shown instead of the app while the school requires TOTP and the person has none yet. */
import { Alert, Card, Flex, Typography } from 'antd';
import { LanguageSwitch } from '../components/language-switch.tsx';
import { LogoutButton } from '../components/logout-button.tsx';
import { TotpEnrol } from '../components/totp-enrol.tsx';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSignedInSession } from '../session/session-context.tsx';

export function TotpEnrolmentPage() {
  const { t } = useLocale();
  const session = useSignedInSession();

  return (
    <Flex vertical align="center" className="hb-login">
      <Flex justify="flex-end" gap={8} className="hb-login-lang">
        <LanguageSwitch />
        <LogoutButton />
      </Flex>
      <Card className="hb-login-card" style={{ maxWidth: 600 }}>
        <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="totp-enrol-heading">
          {t('totp.mustEnrollTitle')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{session.user.displayName}</Typography.Paragraph>
        <Alert type="info" showIcon title={t('totp.mustEnroll')} style={{ marginBottom: 16 }} />
        <TotpEnrol />
      </Card>
    </Flex>
  );
}
