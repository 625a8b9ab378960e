/** The banner on every page while the session works in a practice school, with the way back. */
import { Alert, Button } from 'antd';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSignedInSession } from '../session/session-context.tsx';
import { activePracticeOf } from '../session/session-view.ts';
import { useSwitchSchool } from '../session/use-switch-school.ts';

export function PracticeBanner() {
  const { t } = useLocale();
  const session = useSignedInSession();
  const { busy, switchTo } = useSwitchSchool();
  const real = activePracticeOf(session);
  if (!real) return null;
  // The way back only when the person works in the real school too (they always do: their roles are mirrored).
  const back = session.user.roles.some((g) => g.schoolId === real);
  return (
    <Alert
      type="error"
      banner
      showIcon
      data-testid="practice-banner"
      style={{ marginBottom: 16 }}
      title={<strong>{t('practice.banner')}</strong>}
      action={
        back ? (
          <Button size="small" loading={busy} onClick={() => void switchTo(real)} data-testid="practice-banner-leave">
            {t('practice.leave')}
          </Button>
        ) : undefined
      }
    />
  );
}
