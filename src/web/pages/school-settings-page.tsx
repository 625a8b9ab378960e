/** Cài đặt trường (`school.configure`): the year's dates, two-factor roles, mandatory student fields. */
import { Alert, Col, Row } from 'antd';
import { api } from '../api.ts';
import { ErrorResult } from '../components/error-result.tsx';
import { MandatoryFieldsForm } from '../components/mandatory-fields-form.tsx';
import { PageLoader } from '../components/page-loader.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { TotpRolesForm } from '../components/totp-roles-form.tsx';
import { YearSettingsForm } from '../components/year-settings-form.tsx';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSignedInSession } from '../session/session-context.tsx';
import { useApiData } from '../use-api-data.ts';

export function SchoolSettingsPage() {
  const { t } = useLocale();
  const session = useSignedInSession();
  const data = useApiData(
    async () => {
      const [year, settings, fields] = await Promise.all([api.schoolYear(), api.schoolSettings(), api.studentFields()]);
      return { year, settings, fields };
    },
    [session.activeSchoolId],
  );
  if (data.loading && !data.data) return <PageLoader />;
  if (data.error || !data.data) return <ErrorResult error={data.error} onRetry={data.reload} />;
  const { year, settings, fields } = data.data;
  return (
    <>
      <PageTitle testId="settings-heading">{t('settings.title')}</PageTitle>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          {year ? <YearSettingsForm year={year} onSaved={data.reload} /> : <Alert type="warning" showIcon title={t('settings.noYear')} />}
        </Col>
        <Col xs={24} lg={12}>
          <TotpRolesForm settings={settings} onSaved={data.reload} />
        </Col>
        <Col xs={24}>
          <MandatoryFieldsForm mandatory={fields.mandatory} onSaved={data.reload} />
        </Col>
      </Row>
    </>
  );
}
