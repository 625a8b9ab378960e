/** Sign-in: username and password, plus a TOTP code once the server asks for one. */
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import type { InputRef } from 'antd';
import { isApiError } from '../api.ts';
import { LanguageSwitch } from '../components/language-switch.tsx';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSession } from '../session/session-context.tsx';
import { Link } from 'react-router';

interface LoginValues {
  username: string;
  password: string;
  totp?: string;
}

export function LoginPage() {
  const { t } = useLocale();
  const { login, state } = useSession();
  const [form] = Form.useForm<LoginValues>();
  const [needTotp, setNeedTotp] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const totpInput = useRef<InputRef>(null);

  useEffect(() => {
    if (needTotp) totpInput.current?.focus();
  }, [needTotp]);

  const submit = async (values: LoginValues) => {
    setBusy(true);
    setError(null);
    try {
      const totp = values.totp?.trim();
      await login({ username: values.username.trim(), password: values.password, ...(totp ? { totp } : {}) });
    } catch (caught) {
      if (isApiError(caught, 'auth.totp_required')) setNeedTotp(true);
      else setError(caught instanceof Error ? caught.message : String(caught));
      if (isApiError(caught, 'auth.totp_invalid')) form.setFieldValue('totp', '');
      setBusy(false);
    }
  };

  return (
    <Flex vertical align="center" justify="center" className="hb-login">
      <Flex justify="flex-end" className="hb-login-lang">
        <LanguageSwitch />
      </Flex>
      <Card className="hb-login-card">
        <Flex vertical align="center" gap={4} style={{ marginBottom: 24 }}>
          <div className="hb-logo" aria-hidden>
            HB
          </div>
          <Typography.Title level={3} style={{ margin: '8px 0 0' }} data-testid="login-heading">
            {t('login.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
        </Flex>
        {error && (
          <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />
        )}
        {state.status === 'anonymous' && state.expired && !error && (
          <Alert type="info" showIcon title={t('login.sessionExpired')} style={{ marginBottom: 16 }} data-testid="login-expired" />
        )}
        {needTotp && !error && (
          <Alert type="info" showIcon title={t('login.totpHint')} style={{ marginBottom: 16 }} />
        )}
        <Form<LoginValues> form={form} layout="vertical" requiredMark={false} onFinish={(v) => void submit(v)}>
          <Form.Item
            name="username"
            label={t('login.username')}
            rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
          >
            <Input
              data-testid="login-username"
              prefix={<UserOutlined />}
              autoComplete="username"
              autoCapitalize="none"
              autoFocus
              size="large"
            />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('login.passwordRequired') }]}
          >
            <Input.Password
              data-testid="login-password"
              prefix={<LockOutlined />}
              autoComplete="current-password"
              size="large"
            />
          </Form.Item>
          {needTotp && (
            <Form.Item
              name="totp"
              label={t('login.totp')}
              rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: t('login.totpRequired') }]}
            >
              <Input
                ref={totpInput}
                data-testid="login-totp"
                prefix={<SafetyOutlined />}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                size="large"
              />
            </Form.Item>
          )}
          <Button data-testid="login-submit" type="primary" htmlType="submit" block size="large" loading={busy}>
            {t('login.submit')}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 13 }}>
          {t('login.forgot')}{' '}
          <Link to="/guide/xu-ly-su-co#quen-mat-khau">{t('login.helpForgot')}</Link>
          {' · '}
          <Link to="/guide/README" data-testid="login-guide">{t('login.guide')}</Link>
        </Typography.Paragraph>
      </Card>
    </Flex>
  );
}
