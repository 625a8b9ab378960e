/** Account: who I am, change password, two-step verification, my signing certificate and signature image (signers). */
import { Card, Descriptions, Flex, Tag } from 'antd';
import { CertificateCard } from '../certificates/certificate-card.tsx';
import { ChangePasswordForm } from '../components/change-password-form.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { TotpPanel } from '../components/totp-panel.tsx';
import { roleLabel } from '../i18n/index.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSession, useSignedInSession } from '../session/session-context.tsx';
import { SignatureImageCard } from '../signatures/signature-image-card.tsx';

export function AccountPage() {
  const { t, locale } = useLocale();
  const session = useSignedInSession();
  const { can } = useSession();

  return (
    <>
      <PageTitle testId="account-heading">{t('account.title')}</PageTitle>
      <Flex vertical gap={16}>
        <Card title={t('account.profile')} size="small">
          <Descriptions
            column={1}
            size="small"
            items={[
              { key: 'name', label: t('staff.fullName'), children: session.user.displayName },
              { key: 'username', label: t('staff.username'), children: session.user.username },
              {
                key: 'roles',
                label: t('staff.roles'),
                children: (
                  <Flex gap={4} wrap>
                    {session.user.roles.map((grant) => (
                      <Tag key={`${grant.role}:${grant.schoolId ?? ''}`} color="geekblue">
                        {roleLabel(grant.role, locale)}
                        {grant.schoolName ? ` · ${grant.schoolName}` : ''}
                      </Tag>
                    ))}
                  </Flex>
                ),
              },
            ]}
          />
        </Card>
        <Card title={t('account.password')} size="small">
          <ChangePasswordForm />
        </Card>
        <Card title={t('totp.title')} size="small">
          <TotpPanel />
        </Card>
        {can('own_certificate.manage') && <CertificateCard target="me" />}
        {can('own_signature_image.manage') && <SignatureImageCard target="signature" />}
      </Flex>
    </>
  );
}
