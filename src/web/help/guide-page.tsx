/**
 * /guide/:page — the user guide as a page of its own, open without signing in (the public
 * verification page links here). Links to app screens navigate in the app; if the person is
 * not signed in, the app shows the sign-in page first and then that screen.
 */
import { Button, Flex, Layout, Typography } from 'antd';
import { ArrowLeftOutlined, BookOutlined } from '@ant-design/icons';
import { useLocation, useNavigate } from 'react-router';
import { isGuidePage, type GuidePage } from '../../domain/help/guide-pages.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { LanguageSwitch } from '../components/language-switch.tsx';
import { GuideView } from './guide-view.tsx';

/** The guide page a path names (`/guide/<page>`); null when the path is not the guide. */
export function guidePathPage(pathname: string): GuidePage | 'unknown' | null {
  const m = /^\/guide(?:\/([^/]*))?\/?$/.exec(pathname);
  if (!m) return null;
  const page = decodeURIComponent(m[1] || 'README');
  return isGuidePage(page) ? page : 'unknown';
}

export function GuidePage() {
  const { t } = useLocale();
  const location = useLocation();
  const navigate = useNavigate();
  const found = guidePathPage(location.pathname);
  const page: GuidePage = found && found !== 'unknown' ? found : 'README';
  const anchor = location.hash.replace(/^#/, '') || null;

  return (
    <Layout style={{ minHeight: '100vh', background: '#fff' }}>
      <Layout.Header className="hb-header" style={{ paddingInline: 16 }}>
        <Flex align="center" gap={12} style={{ height: '100%' }}>
          <Button icon={<ArrowLeftOutlined />} onClick={() => ((window.history.state as { idx?: number } | null)?.idx ? navigate(-1) : navigate('/'))} data-testid="guide-back">
            {t('help.backToApp')}
          </Button>
          <Button type="link" icon={<BookOutlined />} onClick={() => navigate('/guide/README')}>
            {t('help.index')}
          </Button>
          <Typography.Text strong style={{ marginInlineStart: 'auto' }}>
            {t('help.guideTitle')}
          </Typography.Text>
          <LanguageSwitch compact />
        </Flex>
      </Layout.Header>
      <Layout.Content style={{ maxWidth: 920, width: '100%', margin: '0 auto', padding: '24px 16px' }}>
        {found === 'unknown' && <Typography.Paragraph type="warning">{t('help.pageMissing')}</Typography.Paragraph>}
        <GuideView
          page={page}
          anchor={anchor}
          onApp={(path) => navigate(path)}
          onGuide={(p, a) => navigate(a ? `/guide/${p}#${a}` : `/guide/${p}`)}
        />
      </Layout.Content>
    </Layout>
  );
}
