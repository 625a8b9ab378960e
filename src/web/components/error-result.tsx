/** A friendly full-page answer for 403, 404 and other failures, with a way back. */
import { Button, Result, Typography } from 'antd';
import { Link } from 'react-router';
import type { ApiError } from '../api.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { errorHelp } from '../help/error-help.ts';
import { guidePath } from '../help/markdown.ts';

interface ErrorResultProps {
  /** 403 and 404 get their own text; anything else shows `error.message`. */
  status?: number;
  error?: ApiError | null;
  onRetry?: () => void;
}

export function ErrorResult({ status, error, onRetry }: ErrorResultProps) {
  const { t } = useLocale();
  const code = status ?? error?.status ?? 0;
  const help = errorHelp(code === 403 ? 'forbidden' : error?.code, code);
  const fix = (help.hint || help.topic) && (
    <Typography.Paragraph type="secondary" style={{ maxWidth: 560, margin: '0 auto 16px' }} data-testid="error-help">
      {help.hint && t(help.hint)}{' '}
      {help.topic && <Link to={guidePath(help.topic.page, help.topic.anchor)}>{t('errorHint.title')} →</Link>}
    </Typography.Paragraph>
  );
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
      >
        {code === 403 && fix}
      </Result>
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
    >
      {fix}
    </Result>
  );
}
