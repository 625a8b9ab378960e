/** For people with roles in several schools: pick the school the session works in. */
import { Select } from 'antd';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSignedInSession } from '../session/session-context.tsx';
import { sessionSchools } from '../session/session-view.ts';
import { useSwitchSchool } from '../session/use-switch-school.ts';

export function SchoolSwitcher({ block = false }: { block?: boolean }) {
  const { t } = useLocale();
  const session = useSignedInSession();
  const { busy, switchTo } = useSwitchSchool();
  const schools = sessionSchools(session);
  if (schools.length < 2) return null;

  return (
    <Select
      data-testid="school-switch"
      aria-label={t('nav.switchSchool')}
      value={session.activeSchoolId ?? undefined}
      placeholder={t('nav.noSchool')}
      loading={busy}
      style={{ minWidth: 200, width: block ? '100%' : undefined }}
      options={schools.map((school) => ({ value: school.id, label: school.name }))}
      onChange={(value: string) => void switchTo(value)}
    />
  );
}
