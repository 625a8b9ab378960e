/** Editing a target's connection: URL, client id, a new secret (never shown; empty keeps it), on/off. */
import { App, Form, Input, Modal, Switch } from 'antd';
import { useState } from 'react';
import type { SyncSettingsView } from '../../server/api-types.ts';
import { ApiError } from '../api.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { syncApi } from './sync-api.ts';

interface Values {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  enabled: boolean;
}

export function SettingsModal({ settings, onClose, onSaved }: { settings: SyncSettingsView; onClose: () => void; onSaved: () => void }) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const save = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      await syncApi.saveSettings(settings.target, { baseUrl: v.baseUrl, clientId: v.clientId ?? '', ...(v.clientSecret ? { clientSecret: v.clientSecret } : {}), enabled: v.enabled });
      message.success(t('sync.saved'));
      onSaved();
      onClose();
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open title={t('sync.editTitle', { target: t(`sync.target.${settings.target}`) })} onOk={save} confirmLoading={saving} onCancel={onClose} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ baseUrl: settings.baseUrl ?? '', clientId: settings.clientId ?? '', clientSecret: '', enabled: settings.source === 'none' ? true : settings.enabled }} data-testid="sync-settings-form">
        <Form.Item name="baseUrl" label={t('sync.baseUrl')} rules={[{ required: true }]}>
          <Input placeholder="https://…" autoComplete="off" />
        </Form.Item>
        {settings.target === 'hbs' && (
          <Form.Item name="clientId" label={t('sync.clientId')}>
            <Input autoComplete="off" />
          </Form.Item>
        )}
        <Form.Item name="clientSecret" label={t('sync.secret')} extra={settings.secretSet ? t('sync.secretKeep') : undefined}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="enabled" label={t('sync.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
