/** Home: "Trang chủ — <role>" and one section of figures per role held in the active school. */
import { Divider, Empty } from 'antd';
import { Fragment } from 'react';
import { api } from '../api.ts';
import { ErrorResult } from '../components/error-result.tsx';
import { HomeSection } from '../components/home-section.tsx';
import { PageLoader } from '../components/page-loader.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { roleLabel } from '../i18n/index.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSession, useSignedInSession } from '../session/session-context.tsx';
import { MyWorkPanel } from '../plan/my-work-panel.tsx';
import { activeRoles } from '../session/session-view.ts';
import { useApiData } from '../use-api-data.ts';
import { FirstRunTour } from '../help/first-run-tour.tsx';

export function HomePage() {
  const { t, locale } = useLocale();
  const session = useSignedInSession();
  const home = useApiData(() => api.home(), [session.activeSchoolId]);
  const { can } = useSession();

  if (home.loading && !home.data) return <PageLoader />;
  if (home.error || !home.data) return <ErrorResult error={home.error} onRetry={home.reload} />;

  const { school, sections } = home.data;
  const roles = sections.length > 0 ? sections.map((s) => s.role) : activeRoles(session);
  const roleNames = roles.map((role) => roleLabel(role, locale)).join(', ');
  const subtitle = [school?.name, school?.schoolYear ? t('home.schoolYear', { year: school.schoolYear }) : null]
    .filter(Boolean)
    .join(' · ');

  return (
    <>
      <PageTitle testId="home-heading" subtitle={subtitle || undefined}>
        {roleNames ? `${t('home.title')} — ${roleNames}` : t('home.title')}
      </PageTitle>
      <FirstRunTour />
      {/* Staff see their work queue first: what is due decides the day, the figures below are context. */}
      {can('plan.read') && <MyWorkPanel />}
      {sections.length === 0 && (
        <Empty data-testid="home-empty" description={`${t('home.noRoles')} ${t('home.noRolesNext')}`} />
      )}
      {sections.map((section, index) => (
        <Fragment key={section.role}>
          {index > 0 && <Divider />}
          <HomeSection section={section} showTitle={sections.length > 1} />
        </Fragment>
      ))}
    </>
  );
}
