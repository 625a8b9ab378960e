/**
 * The verification report, calmly: the verdict first in plain words, then what the record
 * says, its current status, and each signature (signer, role, time, chain) with its checks.
 * "Could not check" has its own colour and words — never shown as valid or invalid.
 */
import { Alert, Button, Card, Collapse, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, QuestionCircleFilled } from '@ant-design/icons';
import { LEVEL_LABELS, type Level } from '../../domain/assessment/levels.ts';
import { PROMOTION_OUTCOME_LABELS } from '../../domain/assessment/promotion.ts';
import type { VerificationCheckStatus, VerificationCheckView, VerificationReportView, VerificationSignatureView } from '../../server/api-types.ts';
import { formatDateTime } from '../format.ts';
import type { MessageKey } from '../i18n/index.ts';
import { useLocale } from '../i18n/locale-context.tsx';

const COLOR: Record<VerificationCheckStatus, string> = { passed: 'success', failed: 'error', indeterminate: 'warning' };
const CHECK_ORDER = ['format', 'integrity', 'signingCertificate', 'chain', 'keyUsage', 'revocation', 'timestamp', 'scope'] as const;

function StatusTag({ status }: { status: VerificationCheckStatus }) {
  const { t } = useLocale();
  const icon = status === 'passed' ? <CheckCircleFilled /> : status === 'failed' ? <CloseCircleFilled /> : <QuestionCircleFilled />;
  return (
    <Tag color={COLOR[status]} icon={icon} data-testid={`check-${status}`}>
      {t(`verify.check.${status}` as MessageKey)}
    </Tag>
  );
}

function CheckRow({ label, check }: { label: string; check: VerificationCheckView }) {
  return (
    <div style={{ display: 'flex', gap: 8, alignItems: 'baseline', marginBottom: 4 }}>
      <StatusTag status={check.status} />
      <Typography.Text strong style={{ minWidth: 190 }}>
        {label}
      </Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-word' }}>
        {check.reason}
      </Typography.Text>
    </div>
  );
}

/** "CN=Nguyễn Văn Hiệu, O=…" → "Nguyễn Văn Hiệu". */
const commonName = (dn: string) => /(?:^|,\s*)CN=([^,]+)/.exec(dn)?.[1] ?? dn;

function SignatureCard({ s, subjects }: { s: VerificationSignatureView; subjects: Map<string, string> }) {
  const { t } = useLocale();
  // A subject teacher's signature names the subject row it covers.
  const subject = s.id.startsWith('sig-subject-') ? subjects.get(s.id.slice('sig-subject-'.length)) : undefined;
  return (
    <Card
      size="small"
      style={{ marginBottom: 8 }}
      data-testid="signature-card"
      title={
        <Space wrap>
          <StatusTag status={s.status} />
          <span>{s.signer?.commonName ?? s.id}</span>
          {s.claimedRole && <Typography.Text type="secondary">— {s.claimedRole}{subject ? ` · ${subject}` : ''}</Typography.Text>}
        </Space>
      }
    >
      <Descriptions size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t('verify.role')}>{s.claimedRole ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('verify.time')}>{formatDateTime(s.signingTime)}</Descriptions.Item>
        {s.timestampTime && <Descriptions.Item label={t('verify.timestamp')}>{formatDateTime(s.timestampTime)}</Descriptions.Item>}
        {s.signer && <Descriptions.Item label={t('verify.issuer')}>{commonName(s.signer.issuer)}</Descriptions.Item>}
        <Descriptions.Item label={t('verify.chain')} span={2}>
          <span title={s.chain.join('\n')}>{s.chain.length ? s.chain.map(commonName).join(' → ') : '—'}</span>
        </Descriptions.Item>
      </Descriptions>
      {/* What failed or could not be checked is open from the start. */}
      <Collapse size="small" ghost defaultActiveKey={s.status === 'passed' ? [] : ['c']} items={[{ key: 'c', label: t('verify.checks'), children: CHECK_ORDER.filter((n) => s.checks[n]).map((n) => <CheckRow key={n} label={t(`verify.check.${n}` as MessageKey)} check={s.checks[n]!} />) }]} />
    </Card>
  );
}

const VERDICT_TYPE = { valid: 'success', invalid: 'error', indeterminate: 'warning', superseded: 'warning', revoked: 'error', practice: 'error' } as const;

export function VerificationReport({ report }: { report: VerificationReportView }) {
  const { t, locale } = useLocale();
  const r = report.record;
  const level = (l: string | null) => (l && l in LEVEL_LABELS ? LEVEL_LABELS[l as Level][locale] : (l ?? '—'));
  const result = (v: string) => (v === 'exempt' ? t('verify.exempt') : v === 'D' ? 'Đ' : v === 'CD' ? 'CĐ' : v);
  const hint = t(`verify.verdictHint.${report.verdict}` as MessageKey, {
    version: report.status.supersededBy?.version ?? '',
    date: formatDateTime(report.status.revocation?.revokedAt),
    reason: report.status.revocation?.reason ?? '',
  });
  const xmlSigs = report.embeddedXml?.validation?.signatures ?? [];
  const subjects = new Map((r?.subjects ?? []).map((x) => [x.code, x.name]));
  const contentTrusted = report.verdict !== 'invalid';
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="verify-report">
      <Alert
        type={VERDICT_TYPE[report.verdict]}
        showIcon
        data-testid={`verdict-${report.verdict}`}
        title={<Typography.Title level={4} style={{ margin: 0 }}>{t(`verify.verdict.${report.verdict}` as MessageKey)}</Typography.Title>}
        description={
          <Space direction="vertical" size={4}>
            <span>{hint}</span>
            {report.status.supersededBy?.url && (
              <Button size="small" href={`/verify/${report.status.supersededBy.code}`} data-testid="successor-link">
                {t('verify.openSuccessor', { version: report.status.supersededBy.version })}
              </Button>
            )}
          </Space>
        }
      />
      <Card size="small" title={t('verify.status')} data-testid="verify-status">
        <Space wrap>
          <Tag color={report.status.state === 'valid' ? 'success' : report.status.state === 'unknown' ? 'default' : report.status.state === 'indeterminate' ? 'warning' : 'error'}>{t(`verify.state.${report.status.state}` as MessageKey)}</Tag>
          {report.status.version !== null && <Typography.Text type="secondary">v{report.status.version}</Typography.Text>}
        </Space>
      </Card>
      {r && (
        <Card size="small" title={t('verify.record')} data-testid="verify-record">
          {!contentTrusted && <Alert type="error" showIcon title={t('verify.contentWarning')} style={{ marginBottom: 8 }} />}
          <Descriptions size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t('verify.student')}>{r.studentName}</Descriptions.Item>
            {r.birthDate && <Descriptions.Item label={t('verify.birthDate')}>{r.birthDate.split('-').reverse().join('/')}</Descriptions.Item>}
            <Descriptions.Item label={t('verify.school')}>{r.school.name}</Descriptions.Item>
            <Descriptions.Item label={t('verify.class')}>{r.className}</Descriptions.Item>
            <Descriptions.Item label={t('verify.year')}>{r.schoolYear}</Descriptions.Item>
            <Descriptions.Item label={t('verify.codeLabel')}>
              <Typography.Text code>{report.code}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('verify.conduct')}>{level(r.conduct)}</Descriptions.Item>
            <Descriptions.Item label={t('verify.learning')}>{level(r.learning)}</Descriptions.Item>
            <Descriptions.Item label={t('verify.promotion')}>{PROMOTION_OUTCOME_LABELS[r.promotion as keyof typeof PROMOTION_OUTCOME_LABELS]?.[locale] ?? r.promotion}</Descriptions.Item>
          </Descriptions>
          <Table
            size="small"
            pagination={false}
            rowKey="code"
            dataSource={r.subjects}
            columns={[
              { title: t('verify.subject'), dataIndex: 'name' },
              { title: t('verify.semesterI'), dataIndex: 'semesterI', render: result, align: 'center' },
              { title: t('verify.semesterII'), dataIndex: 'semesterII', render: result, align: 'center' },
              { title: t('verify.wholeYear'), dataIndex: 'wholeYear', render: (v: string) => <strong>{result(v)}</strong>, align: 'center' },
            ]}
          />
        </Card>
      )}
      <Card size="small" title={t('verify.signatures')} data-testid="verify-signatures">
        {Object.entries(report.validation.documentChecks).map(([n, c]) => (
          <CheckRow key={n} label={`${t('verify.document')} (${n})`} check={c} />
        ))}
        {report.embeddedXml && <CheckRow label={t('verify.embedded')} check={report.embeddedXml.check} />}
        {report.validation.signatures.length > 0 && (
          <>
            <Typography.Title level={5}>{report.documentType === 'pdf' ? t('verify.pdfSignatures') : t('verify.xmlSignatures')}</Typography.Title>
            {report.validation.signatures.map((s) => (
              <SignatureCard key={s.id} s={s} subjects={subjects} />
            ))}
          </>
        )}
        {xmlSigs.length > 0 && (
          <>
            <Typography.Title level={5}>{t('verify.xmlSignatures')}</Typography.Title>
            {xmlSigs.map((s) => (
              <SignatureCard key={s.id} s={s} subjects={subjects} />
            ))}
          </>
        )}
      </Card>
      <Typography.Text type="secondary" style={{ fontSize: 11 }}>
        SHA-256: {report.sha256}
      </Typography.Text>
    </Space>
  );
}
