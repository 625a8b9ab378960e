/**
 * Root of the UI: language → antd theme and locale → router → session. Until the
 * session is known nothing else renders; signed out, every URL shows the sign-in page
 * (and the same URL opens once signed in).
 */
import { App as AntApp, Button, ConfigProvider, Result } from 'antd';
import enUS from 'antd/locale/en_US';
import viVN from 'antd/locale/vi_VN';
import { BrowserRouter, useLocation } from 'react-router';
import { GuidePage, guidePathPage } from './help/guide-page.tsx';
import { AppRoutes } from './app-routes.tsx';
import { SharedRecordPage, shareTokenOf } from './access/shared-record-page.tsx';
import { VerifyPage } from './verify/verify-page.tsx';
import { verifyPathCode } from './verify/verify-api.ts';
import { PageLoader } from './components/page-loader.tsx';
import { LocaleProvider, useLocale } from './i18n/locale-context.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { TotpEnrolmentPage } from './pages/totp-enrolment-page.tsx';
import { SessionProvider, useSession } from './session/session-context.tsx';
import { theme } from './theme.ts';

function Shell() {
  const { t } = useLocale();
  const { state, refresh } = useSession();
  // The user guide is public (the verification page links to it) and its links move around the app.
  const location = useLocation();
  if (guidePathPage(location.pathname) !== null) return <GuidePage />;
  // A share link opens without signing in, whoever is (or is not) signed in on this browser.
  const shareToken = shareTokenOf(window.location.pathname);
  if (shareToken) return <SharedRecordPage token={shareToken} />;
  // The public verification page (the QR code on a record opens /verify/<code>): no sign-in.
  const verifyCode = verifyPathCode(window.location.pathname);
  if (verifyCode !== null) return <VerifyPage initialCode={verifyCode} />;
  switch (state.status) {
    case 'loading':
      return <PageLoader fullScreen />;
    case 'error':
      return (
        <Result
          status="warning"
          title={t('error.generic.title')}
          subTitle={state.message}
          extra={<Button onClick={() => void refresh()}>{t('common.retry')}</Button>}
        />
      );
    case 'anonymous':
      return <LoginPage />;
    case 'signed-in':
      return state.session.mustEnrollTotp ? <TotpEnrolmentPage /> : <AppRoutes />;
  }
}

function Localised() {
  const { locale } = useLocale();
  return (
    <ConfigProvider locale={locale === 'vi' ? viVN : enUS} theme={theme}>
      <AntApp>
        <BrowserRouter>
          <SessionProvider>
            <Shell />
          </SessionProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <LocaleProvider>
      <Localised />
    </LocaleProvider>
  );
}
