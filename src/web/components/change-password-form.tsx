/** Change password (at least 10 characters); the server then rotates the session. */
import { useState } from 'react';
import { Alert, App, Button, Form, Input, Typography } from 'antd';
import { api } from '../api.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSession } from '../session/session-context.tsx';

interface PasswordValues {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

const MIN_LENGTH = 10; // the server's password policy (auth.weak_password below this)

export function ChangePasswordForm() {
  const { t } = useLocale();
  const { refresh } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<PasswordValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (values: PasswordValues) => {
    setBusy(true);
    setError(null);
    try {
      await api.changePassword({ currentPassword: values.currentPassword, newPassword: values.newPassword });
      form.resetFields();
      await refresh();
      void message.success(t('account.passwordChanged'));
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<PasswordValues>
      form={form}
      layout="vertical"
      requiredMark={false}
      onFinish={(v) => void submit(v)}
      style={{ maxWidth: 420 }}
    >
      <Typography.Paragraph type="secondary" data-testid="password-policy">
        {t('account.passwordPolicy')}
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="password-error" />}
      <Form.Item name="currentPassword" label={t('account.currentPassword')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
        <Input.Password autoComplete="current-password" data-testid="password-current" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('account.newPassword')}
        rules={[{ required: true, min: MIN_LENGTH, message: t('account.passwordTooShort') }]}
      >
        <Input.Password autoComplete="new-password" data-testid="password-new" />
      </Form.Item>
      <Form.Item
        name="confirmPassword"
        label={t('account.confirmPassword')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('account.passwordMismatch') },
          ({ getFieldValue }) => ({
            validator: (_rule, value: string) =>
              !value || value === getFieldValue('newPassword')
                ? Promise.resolve()
                : Promise.reject(new Error(t('account.passwordMismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="password-confirm" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} data-testid="password-submit">
        {t('account.changePassword')}
      </Button>
    </Form>
  );
}
