/** Tiếng Việt / English switch; when signed in, the choice is also saved to the account. */
import { App, Segmented } from 'antd';
import type { Locale } from '../../server/api-types.ts';
import { api } from '../api.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSession } from '../session/session-context.tsx';

export function LanguageSwitch({ compact = false }: { compact?: boolean }) {
  const { locale, t, setLocale, markChosenBeforeSignIn } = useLocale();
  const { session } = useSession();
  const { message } = App.useApp();

  const change = (next: Locale) => {
    if (next === locale) return;
    setLocale(next);
    if (!session) {
      markChosenBeforeSignIn(next);
      return;
    }
    api.setMyLocale(next).catch(() => {
      void message.warning(t('lang.saveFailed'));
    });
  };

  return (
    <Segmented<Locale>
      data-testid="lang-switch"
      aria-label={t('lang.label')}
      size={compact ? 'small' : 'middle'}
      value={locale}
      onChange={change}
      options={[
        {
          value: 'vi',
          label: <span data-testid="lang-vi" title={t('lang.vi')} lang="vi">{compact ? 'VI' : t('lang.vi')}</span>,
        },
        {
          value: 'en',
          label: <span data-testid="lang-en" title={t('lang.en')} lang="en">{compact ? 'EN' : t('lang.en')}</span>,
        },
      ]}
    />
  );
}
