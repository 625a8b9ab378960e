/**
 * Cài đặt trường: the year's dates, two-factor roles, mandatory student fields (`school.configure`)
 * and the school seal's image and certificate (`seal_image.manage`, `seal_certificate.manage`:
 * the school administrator or the clerk).
 */
import { Alert, Col, Row } from 'antd';
import { api } from '../api.ts';
import { CertificateCard } from '../certificates/certificate-card.tsx';
import { ErrorResult } from '../components/error-result.tsx';
import { MandatoryFieldsForm } from '../components/mandatory-fields-form.tsx';
import { PageLoader } from '../components/page-loader.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { TotpRolesForm } from '../components/totp-roles-form.tsx';
import { YearSettingsForm } from '../components/year-settings-form.tsx';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSession, useSignedInSession } from '../session/session-context.tsx';
import { SignatureImageCard } from '../signatures/signature-image-card.tsx';
import { useApiData } from '../use-api-data.ts';

export function SchoolSettingsPage() {
  const { t } = useLocale();
  const session = useSignedInSession();
  const { can } = useSession();
  const configure = can('school.configure');
  // The clerk comes here for the seal only: the other settings are not theirs to load.
  const data = useApiData(
    async () => {
      if (!configure) return null;
      const [year, settings, fields] = await Promise.all([api.schoolYear(), api.schoolSettings(), api.studentFields()]);
      return { year, settings, fields };
    },
    [session.activeSchoolId, configure],
  );
  const seal = (
    <>
      {can('seal_certificate.manage') && (
        <Col xs={24} lg={12}>
          <CertificateCard target="seal" />
        </Col>
      )}
      {can('seal_image.manage') && (
        <Col xs={24} lg={12}>
          <SignatureImageCard target="seal" />
        </Col>
      )}
    </>
  );
  if (!configure) {
    return (
      <>
        <PageTitle testId="settings-heading">{t('settings.title')}</PageTitle>
        <Row gutter={[16, 16]}>{seal}</Row>
      </>
    );
  }
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
        {seal}
      </Row>
    </>
  );
}
