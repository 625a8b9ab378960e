/** The school's list of mandatory student fields (name, gender and birth date always are). */
import { useState } from 'react';
import { App, Button, Card, Checkbox, Flex, Typography } from 'antd';
import { api, isApiError } from '../api.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { ALL_STUDENT_FIELDS, ALWAYS_MANDATORY, fieldLabel } from '../students/fields.ts';

export function MandatoryFieldsForm({ mandatory, onSaved }: { mandatory: string[]; onSaved: () => void }) {
  const { t, locale } = useLocale();
  const { message } = App.useApp();
  const [chosen, setChosen] = useState<string[]>([...new Set([...ALWAYS_MANDATORY, ...mandatory])]);
  const [busy, setBusy] = useState(false);

  const save = async () => {
    setBusy(true);
    try {
      const saved = await api.updateStudentFields(chosen);
      setChosen(saved.mandatory);
      void message.success(t('settings.saved'));
      onSaved();
    } catch (error) {
      void message.error(isApiError(error) ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('settings.fields.title')} data-testid="settings-fields">
      <Flex vertical gap={12}>
        <Typography.Text type="secondary">{t('settings.fields.hint')}</Typography.Text>
        <Checkbox.Group
          value={chosen}
          onChange={(values) => setChosen(values as string[])}
          style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(240px, 1fr))', gap: 8 }}
        >
          {ALL_STUDENT_FIELDS.map((field) => {
            const always = ALWAYS_MANDATORY.includes(field);
            return (
              <Checkbox key={field} value={field} disabled={always} data-testid={`mandatory-${field}`}>
                {fieldLabel(field, locale)} {always && <Typography.Text type="secondary">{t('settings.fields.always')}</Typography.Text>}
              </Checkbox>
            );
          })}
        </Checkbox.Group>
        <div>
          <Button type="primary" loading={busy} onClick={() => void save()} data-testid="settings-fields-save">
            {t('common.save')}
          </Button>
        </div>
      </Flex>
    </Card>
  );
}
