/** One certificate as a description list (subject, issuer, serial, validity with days left) and its standing tag. */
import { Descriptions, Flex, Tag, Typography } from 'antd';
import type { CertificateStanding, CertificateView } from '../../server/api-types.ts';
import { formatDate, formatDateTime } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { STANDING_COLOR, daysLeft, standingKey } from './certificate-view.ts';

export function StandingTag({ standing, testId }: { standing: CertificateStanding; testId?: string }) {
  const { t } = useLocale();
  return (
    <Tag color={STANDING_COLOR[standing]} data-testid={testId} data-standing={standing}>
      {t(standingKey(standing))}
    </Tag>
  );
}

/** "dd/mm/yyyy (còn N ngày)" — the days make an approaching expiry visible at a glance. */
export function ExpiryText({ notAfter }: { notAfter: string }) {
  const { t } = useLocale();
  const days = daysLeft(notAfter);
  return (
    <span>
      {formatDate(notAfter)}{' '}
      <Typography.Text type={days < 0 ? 'danger' : days < 30 ? 'warning' : 'secondary'}>
        ({days < 0 ? t('cert.expiredAgo', { days: -days }) : t('cert.daysLeft', { days })})
      </Typography.Text>
    </span>
  );
}

export function CertificateDetails({ certificate, deadline, testId }: { certificate: CertificateView; deadline?: string | null; testId?: string }) {
  const { t } = useLocale();
  const c = certificate;
  return (
    <Descriptions
      data-testid={testId}
      column={1}
      size="small"
      styles={{ label: { width: 150 } }}
      items={[
        { key: 'cn', label: t('cert.commonName'), children: <Typography.Text strong>{c.commonName}</Typography.Text> },
        { key: 'subject', label: t('cert.subject'), children: <Typography.Text style={{ wordBreak: 'break-word' }}>{c.subject}</Typography.Text> },
        { key: 'issuer', label: t('cert.issuer'), children: <Typography.Text style={{ wordBreak: 'break-word' }}>{c.issuer}</Typography.Text> },
        { key: 'serial', label: t('cert.serial'), children: <Typography.Text code copyable style={{ wordBreak: 'break-all' }}>{c.serialNumber}</Typography.Text> },
        { key: 'from', label: t('cert.validFrom'), children: formatDate(c.notBefore) },
        { key: 'to', label: t('cert.validTo'), children: <ExpiryText notAfter={c.notAfter} /> },
        ...(deadline ? [{ key: 'deadline', label: t('cert.deadline'), children: formatDate(deadline) }] : []),
        {
          key: 'source',
          label: t('cert.source'),
          children: (
            <Flex gap={4} wrap>
              <Tag>{t(`cert.source.${c.source}`)}</Tag>
              {c.serverKey && <Tag color="blue">{t(`cert.serverKey.${c.serverKey}`)}</Tag>}
              {c.revocationAtRegistration === 'unknown' && <Tag color="gold">{t('cert.revocationUnknown')}</Tag>}
            </Flex>
          ),
        },
        { key: 'registered', label: t('cert.registeredAt'), children: formatDateTime(c.registeredAt) },
        { key: 'fp', label: t('cert.fingerprint'), children: <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-all' }}>{c.fingerprint}</Typography.Text> },
      ]}
    />
  );
}
