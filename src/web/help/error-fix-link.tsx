/** "Cách xử lý →": the troubleshooting section for an error, when the guide has one (else nothing). */
import { Link } from 'react-router';
import { useLocale } from '../i18n/locale-context.tsx';
import { errorHelp } from './error-help.ts';
import { guidePath } from './markdown.ts';

export function ErrorFixLink({ code, status }: { code: string | null | undefined; status?: number }) {
  const { t } = useLocale();
  const { topic } = errorHelp(code ?? undefined, status);
  if (!topic) return null;
  return (
    <Link to={guidePath(topic.page, topic.anchor)} data-testid="error-fix-link">
      {t('errorHint.title')} →
    </Link>
  );
}
