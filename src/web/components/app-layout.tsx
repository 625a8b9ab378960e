/** The signed-in frame: header, side menu on wide screens, a drawer menu on phones. */
import { useState } from 'react';
import { Alert, Button, Divider, Drawer, Flex, Grid, Layout } from 'antd';
import { Link, Outlet } from 'react-router';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSignedInSession } from '../session/session-context.tsx';
import { AppHeader } from './app-header.tsx';
import { LogoutButton } from './logout-button.tsx';
import { NavMenu } from './nav-menu.tsx';
import { PracticeBanner } from '../practice/practice-banner.tsx';
import { SchoolSwitcher } from './school-switcher.tsx';
import { UserSummary } from './user-summary.tsx';

export function AppLayout() {
  const { t } = useLocale();
  const session = useSignedInSession();
  const screens = Grid.useBreakpoint();
  // Before the first measurement every breakpoint is undefined: assume a wide screen.
  const phone = screens.md === false;
  const [drawerOpen, setDrawerOpen] = useState(false);

  return (
    <Layout className="hb-app">
      <AppHeader phone={phone} onOpenMenu={() => setDrawerOpen(true)} />
      <Layout>
        {!phone && (
          <Layout.Sider className="hb-sider" width={232} theme="light" data-testid="side-menu">
            <NavMenu />
          </Layout.Sider>
        )}
        <Layout.Content className="hb-content" style={{ padding: phone ? 12 : 24 }}>
          {session.user.mustChangePassword && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              title={t('nav.mustChangePassword')}
              action={
                <Link to="/account">
                  <Button size="small">{t('nav.goToAccount')}</Button>
                </Link>
              }
            />
          )}
          <PracticeBanner />
          <Outlet />
        </Layout.Content>
      </Layout>
      {phone && (
        <Drawer
          placement="left"
          size={288}
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          title={t('app.name')}
          styles={{ body: { padding: 12 } }}
        >
          <Flex vertical gap={12} data-testid="menu-drawer">
            <UserSummary stacked />
            <SchoolSwitcher block />
            <Divider style={{ margin: '4px 0' }} />
            <NavMenu onNavigate={() => setDrawerOpen(false)} />
            <Divider style={{ margin: '4px 0' }} />
            <LogoutButton block />
          </Flex>
        </Drawer>
      )}
    </Layout>
  );
}
