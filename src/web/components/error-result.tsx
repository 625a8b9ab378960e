/** A friendly full-page answer for 403, 404 and other failures, with a way back. */
import { Button, Result } from 'antd';
import { Link } from 'react-router';
import type { ApiError } from '../api.ts';
import { useLocale } from '../i18n/locale-context.tsx';

interface ErrorResultProps {
  /** 403 and 404 get their own text; anything else shows `error.message`. */
  status?: number;
  error?: ApiError | null;
  onRetry?: () => void;
}

export function ErrorResult({ status, error, onRetry }: ErrorResultProps) {
  const { t } = useLocale();
  const code = status ?? error?.status ?? 0;
  const home = (
    <Link to="/" key="home">
      <Button type="primary">{t('error.home')}</Button>
    </Link>
  );

  if (code === 403 || code === 404) {
    return (
      <Result
        data-testid={`error-${code}`}
        status={code}
        title={t(code === 403 ? 'error.403.title' : 'error.404.title')}
        subTitle={code === 403 ? t('error.403.text') : t('error.404.text')}
        extra={[home]}
      />
    );
  }
  return (
    <Result
      data-testid="error-generic"
      status="warning"
      title={t('error.generic.title')}
      subTitle={error?.message}
      extra={[
        ...(onRetry
          ? [
              <Button key="retry" onClick={onRetry}>
                {t('common.retry')}
              </Button>,
            ]
          : []),
        home,
      ]}
    />
  );
}
