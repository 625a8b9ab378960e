/** Which signing and approving roles must use a second factor (TOTP). */
import { useState } from 'react';
import { App, Button, Card, Checkbox, Flex, Typography } from 'antd';
import { api, isApiError } from '../api.ts';
import type { SchoolSettings } from '../api-models.ts';
import { roleLabel } from '../i18n/index.ts';
import { useLocale } from '../i18n/locale-context.tsx';

export function TotpRolesForm({ settings, onSaved }: { settings: SchoolSettings; onSaved: () => void }) {
  const { t, locale } = useLocale();
  const { message } = App.useApp();
  const [chosen, setChosen] = useState<string[]>(settings.totpRequiredRoles);
  const [busy, setBusy] = useState(false);
  const roles = settings.signingRoles ?? settings.totpRequiredRoles;

  const save = async () => {
    setBusy(true);
    try {
      await api.updateSchoolSettings({ totpRequiredRoles: chosen });
      void message.success(t('settings.saved'));
      onSaved();
    } catch (error) {
      void message.error(isApiError(error) ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('settings.totp.title')} data-testid="settings-totp">
      <Flex vertical gap={12}>
        <Typography.Text type="secondary">{t('settings.totp.hint')}</Typography.Text>
        <Checkbox.Group
          value={chosen}
          onChange={(values) => setChosen(values as string[])}
          options={roles.map((role) => ({ value: role, label: roleLabel(role, locale) }))}
          style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
        />
        <div>
          <Button type="primary" loading={busy} onClick={() => void save()} data-testid="settings-totp-save">
            {t('common.save')}
          </Button>
        </div>
      </Flex>
    </Card>
  );
}
