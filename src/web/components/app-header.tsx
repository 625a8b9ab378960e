/** Top bar: school name, the person, language switch and sign-out (a menu button on phones). */
import { Button, Flex, Layout, Typography } from 'antd';
import { MenuOutlined } from '@ant-design/icons';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSignedInSession } from '../session/session-context.tsx';
import { activeSchoolName } from '../session/session-view.ts';
import { LanguageSwitch } from './language-switch.tsx';
import { LogoutButton } from './logout-button.tsx';
import { SchoolSwitcher } from './school-switcher.tsx';
import { UserSummary } from './user-summary.tsx';
import { NotificationBell } from '../notifications/notification-bell.tsx';
import { HelpButton } from '../help/help-button.tsx';
import { useSession } from '../session/session-context.tsx';

interface AppHeaderProps {
  phone: boolean;
  onOpenMenu: () => void;
}

export function AppHeader({ phone, onOpenMenu }: AppHeaderProps) {
  const { t } = useLocale();
  const session = useSignedInSession();
  const schoolName = activeSchoolName(session) ?? t('app.name');
  const { can } = useSession();

  return (
    <Layout.Header className="hb-header" style={{ paddingInline: phone ? 12 : 24 }}>
      <Flex align="center" gap={phone ? 8 : 16} style={{ height: '100%' }}>
        {phone && (
          <Button
            data-testid="menu-toggle"
            type="text"
            icon={<MenuOutlined />}
            aria-label={t('nav.menu')}
            onClick={onOpenMenu}
          />
        )}
        <div className="hb-brand">
          <Typography.Text className="hb-brand-app" type="secondary">
            {t('app.name')}
          </Typography.Text>
          <Typography.Text className="hb-brand-school" strong ellipsis data-testid="school-name">
            {schoolName}
          </Typography.Text>
        </div>
        <Flex align="center" gap={12} style={{ marginInlineStart: 'auto' }}>
          <HelpButton compact={phone} />
          {can('plan.read') && <NotificationBell />}
          {!phone && <UserSummary />}
          {!phone && <SchoolSwitcher />}
          <LanguageSwitch compact={phone} />
          {!phone && <LogoutButton />}
        </Flex>
      </Flex>
    </Layout.Header>
  );
}
