/** Reminder settings: days before a deadline, days overdue before the principal is told, and the school's SMTP server (password write-only). */
import { Alert, App, Button, Card, Checkbox, Form, Input, InputNumber, Space } from 'antd';
import { useEffect } from 'react';
import type { ReminderSettingsInput } from '../../server/api-types.ts';
import { ErrorResult } from '../components/error-result.tsx';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSignedInSession } from '../session/session-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { planApi } from './plan-api.ts';

interface FormValues {
  remindDaysBefore: number;
  escalateAfterDays: number;
  host: string;
  port: number | null;
  secure: boolean;
  user: string;
  from: string;
  password: string;
}

export function ReminderSettingsCard() {
  const { t } = useLocale();
  const { message } = App.useApp();
  const session = useSignedInSession();
  const data = useApiData(() => planApi.settings(), [session.activeSchoolId]);
  const [form] = Form.useForm<FormValues>();
  useEffect(() => {
    const s = data.data;
    if (s) form.setFieldsValue({ remindDaysBefore: s.remindDaysBefore, escalateAfterDays: s.escalateAfterDays, host: s.smtp.host ?? '', port: s.smtp.port, secure: s.smtp.secure, user: s.smtp.user ?? '', from: s.smtp.from ?? '', password: '' });
  }, [data.data, form]);
  if (data.error) return <ErrorResult error={data.error} onRetry={data.reload} />;
  const s = data.data;
  const save = async (v: FormValues) => {
    const input: ReminderSettingsInput = { remindDaysBefore: v.remindDaysBefore, escalateAfterDays: v.escalateAfterDays, smtp: { host: v.host || null, port: v.port ?? null, secure: v.secure, user: v.user || null, from: v.from || null, ...(v.password ? { password: v.password } : {}) } };
    try {
      await planApi.saveSettings(input);
      message.success(t('planSettings.saved'));
      data.reload();
    } catch (err) {
      message.error(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <Card size="small" title={t('planSettings.remindersTitle')} loading={!s} data-testid="reminder-settings">
      {s && !s.smtp.host && <Alert style={{ marginBottom: 12 }} type="info" message={s.envSmtp ? t('planSettings.envSmtp') : t('planSettings.noSmtp')} />}
      <Form form={form} layout="vertical" onFinish={(v) => void save(v)} style={{ maxWidth: 560 }}>
        <Space wrap>
          <Form.Item name="remindDaysBefore" label={t('planSettings.remindDaysBefore')} rules={[{ required: true }]}><InputNumber min={0} max={30} /></Form.Item>
          <Form.Item name="escalateAfterDays" label={t('planSettings.escalateAfterDays')} rules={[{ required: true }]}><InputNumber min={0} max={60} /></Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="host" label={t('planSettings.smtpHost')}><Input style={{ width: 240 }} /></Form.Item>
          <Form.Item name="port" label={t('planSettings.smtpPort')}><InputNumber min={1} max={65535} /></Form.Item>
          <Form.Item name="secure" valuePropName="checked" label=" "><Checkbox>{t('planSettings.smtpSecure')}</Checkbox></Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="user" label={t('planSettings.smtpUser')}><Input style={{ width: 200 }} autoComplete="off" /></Form.Item>
          <Form.Item name="password" label={t('planSettings.smtpPassword')} extra={s?.smtp.passwordSet ? t('planSettings.smtpPasswordSet') : undefined}><Input.Password style={{ width: 200 }} autoComplete="new-password" /></Form.Item>
        </Space>
        <Form.Item name="from" label={t('planSettings.smtpFrom')}><Input style={{ width: 320 }} /></Form.Item>
        <Button type="primary" htmlType="submit">{t('planSettings.save')}</Button>
      </Form>
    </Card>
  );
}
