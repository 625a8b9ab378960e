/** The banner on every page while the session works in a practice school, with the way back. */
import { Alert, App, Button } from 'antd';
import { useState } from 'react';
import { ApiError } from '../api.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSession, useSignedInSession } from '../session/session-context.tsx';
import { activePracticeOf } from '../session/session-view.ts';

export function PracticeBanner() {
  const { t } = useLocale();
  const { message } = App.useApp();
  const session = useSignedInSession();
  const { switchSchool } = useSession();
  const [busy, setBusy] = useState(false);
  const real = activePracticeOf(session);
  if (!real) return null;
  // The way back only when the person works in the real school too (they always do: their roles are mirrored).
  const back = session.user.roles.some((g) => g.schoolId === real);
  const leave = async () => {
    setBusy(true);
    try {
      await switchSchool(real);
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
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
          <Button size="small" loading={busy} onClick={() => void leave()} data-testid="practice-banner-leave">
            {t('practice.leave')}
          </Button>
        ) : undefined
      }
    />
  );
}
