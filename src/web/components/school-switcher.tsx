/** For people with roles in several schools: pick the school the session works in. */
import { useState } from 'react';
import { App, Select } from 'antd';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSession, useSignedInSession } from '../session/session-context.tsx';
import { sessionSchools } from '../session/session-view.ts';

export function SchoolSwitcher({ block = false }: { block?: boolean }) {
  const { t } = useLocale();
  const session = useSignedInSession();
  const { switchSchool } = useSession();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const schools = sessionSchools(session);
  if (schools.length < 2) return null;

  const onChange = async (schoolId: string) => {
    setBusy(true);
    try {
      await switchSchool(schoolId);
    } catch (error) {
      void message.error(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Select
      data-testid="school-switch"
      aria-label={t('nav.switchSchool')}
      value={session.activeSchoolId ?? undefined}
      placeholder={t('nav.noSchool')}
      loading={busy}
      style={{ minWidth: 200, width: block ? '100%' : undefined }}
      options={schools.map((school) => ({ value: school.id, label: school.name }))}
      onChange={(value: string) => void onChange(value)}
    />
  );
}
