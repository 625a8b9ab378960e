/** Sign-out: ends the server session, then shows the sign-in page at the home URL. */
import { useState } from 'react';
import { App, Button } from 'antd';
import { LogoutOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSession } from '../session/session-context.tsx';

export function LogoutButton({ block = false }: { block?: boolean }) {
  const { t } = useLocale();
  const { logout } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);

  const onClick = async () => {
    setBusy(true);
    try {
      await logout();
      message.destroy(); // toasts about the old session should not linger over the sign-in page
      void navigate('/', { replace: true });
    } catch (error) {
      void message.error(error instanceof Error ? error.message : String(error));
      setBusy(false);
    }
  };

  return (
    <Button data-testid="logout" icon={<LogoutOutlined />} loading={busy} block={block} onClick={() => void onClick()}>
      {t('nav.logout')}
    </Button>
  );
}
