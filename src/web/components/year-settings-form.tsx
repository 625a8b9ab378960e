/** The current school year's dates: start of semester II and the grade-book deadlines (Vietnam time). */
import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Form, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api, isApiError, type ApiError } from '../api.ts';
import type { SchoolYearSettings } from '../api-models.ts';
import { formatDate } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { fromVietnamParts, toVietnamParts } from '../students/vietnam-time.ts';

interface Values {
  semester2StartsOn: Dayjs | null;
  semester1LockAt: Dayjs | null;
  semester2LockAt: Dayjs | null;
}

/** The picker shows Vietnam wall-clock time: build a naive local value from the Vietnam parts. */
const wallClock = (iso: string | null) => {
  const parts = toVietnamParts(iso);
  return parts ? dayjs(`${parts.date}T${parts.time}`) : null;
};
const toInstant = (value: Dayjs | null) => (value ? fromVietnamParts(value.format('YYYY-MM-DD'), value.format('HH:mm')) : null);

export function YearSettingsForm({ year, onSaved }: { year: SchoolYearSettings; onSaved: () => void }) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const save = async (values: Values) => {
    setBusy(true);
    setError(null);
    try {
      await api.updateSchoolYear({
        semester2StartsOn: values.semester2StartsOn ? values.semester2StartsOn.format('YYYY-MM-DD') : null,
        semester1LockAt: toInstant(values.semester1LockAt),
        semester2LockAt: toInstant(values.semester2LockAt),
      });
      void message.success(t('settings.saved'));
      onSaved();
    } catch (caught) {
      if (isApiError(caught)) setError(caught);
      else void message.error(String(caught));
    } finally {
      setBusy(false);
    }
  };

  const inYear = (d: Dayjs) => d.format('YYYY-MM-DD') < year.startsOn || d.format('YYYY-MM-DD') > year.endsOn;
  return (
    <Card
      title={t('settings.year.title', { year: year.schoolYear })}
      extra={<Typography.Text type="secondary">{t('settings.year.range', { from: formatDate(year.startsOn), to: formatDate(year.endsOn) })}</Typography.Text>}
      data-testid="settings-year"
    >
      <Form<Values>
        layout="vertical"
        onFinish={(v) => void save(v)}
        initialValues={{
          semester2StartsOn: year.semester2StartsOn ? dayjs(year.semester2StartsOn) : null,
          semester1LockAt: wallClock(year.semester1LockAt),
          semester2LockAt: wallClock(year.semester2LockAt),
        }}
      >
        <Form.Item name="semester2StartsOn" label={t('settings.semester2Start')} extra={t('settings.semester2Hint')}>
          <DatePicker format="DD/MM/YYYY" disabledDate={inYear} data-testid="settings-semester2" />
        </Form.Item>
        {(['semester1LockAt', 'semester2LockAt'] as const).map((name, i) => (
          <Form.Item key={name} name={name} label={t(i === 0 ? 'settings.lock1' : 'settings.lock2')} extra={t('settings.lockHint')}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="DD/MM/YYYY HH:mm" data-testid={`settings-lock${i + 1}`} />
          </Form.Item>
        ))}
        {error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={error.message} description={error.details?.map((d) => d.message).join(' ')} />}
        <Button type="primary" htmlType="submit" loading={busy} data-testid="settings-year-save">
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
