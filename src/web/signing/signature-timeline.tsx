/**
 * A record version's signatures in order (step, signer, role, time, certificate), the signed
 * XML and sealed PDF downloads, and "return the record" with a required reason — offered to
 * anyone who may sign; the server decides whether this person is a later signer.
 */
import { useState } from 'react';
import { Alert, Button, Card, Empty, Input, Modal, Space, Tag, Timeline, Typography } from 'antd';
import { RollbackOutlined } from '@ant-design/icons';
import { formatDateTime } from '../format.ts';
import type { MessageKey } from '../i18n/index.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSession } from '../session/session-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { signingApi } from './signing-api.ts';
import { IssueCopyButtons } from '../access/issue-copy-buttons.tsx';

const CLOSED = new Set(['sealed', 'synced', 'superseded', 'returned']);

/** The subject rows a subject signature covers (codes or {code,name}), as one short text. */
function subjectNames(subjects: unknown): string {
  if (!Array.isArray(subjects)) return '';
  return subjects.map((x: unknown) => (typeof x === 'string' ? x : ((x as { name?: string; code?: string }).name ?? (x as { code?: string }).code ?? ''))).filter(Boolean).join(', ');
}

export function SignatureTimeline({ versionId, onChanged }: { versionId: string; onChanged?: () => void }) {
  const { t } = useLocale();
  const { can } = useSession();
  const data = useApiData(() => signingApi.signatures(versionId), [versionId]);
  const [returning, setReturning] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  if (data.error) return <Alert type="error" showIcon title={data.error.message} />;
  if (!data.data) return <Card size="small" loading />;
  const d = data.data;

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      await signingApi.returnRecord(versionId, reason.trim());
      setReturning(false);
      setReason('');
      setDone(true);
      data.reload();
      onChanged?.();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card size="small" title={t('timeline.title')} data-testid="signature-timeline" style={{ marginTop: 12 }}>
      {d.signatures.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('timeline.none')} />
      ) : (
        <Timeline
          items={d.signatures.map((s) => ({
            color: s.step === 'seal' ? 'red' : 'blue',
            content: (
              <div data-testid={`timeline-${s.signatureId}`}>
                <Space size={6} wrap>
                  <Tag>{t(`signing.step.${s.step}` as MessageKey)}</Tag>
                  <Typography.Text strong>{s.signerUserId === null ? t('timeline.seal') : t('timeline.signedBy', { signer: s.signer, role: s.claimedRole })}</Typography.Text>
                  {subjectNames(s.subjects) && <Typography.Text type="secondary">({subjectNames(s.subjects)})</Typography.Text>}
                  {s.delegationId && <Tag color="purple">{t('timeline.delegated')}</Tag>}
                </Space>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatDateTime(s.signedAt)} · {t('timeline.certificate', { subject: s.certificateSubject })}
                  </Typography.Text>
                </div>
              </div>
            ),
          }))}
        />
      )}
      <Space wrap>
        {/* A sealed version's copies ask for a reason and are logged (access/issue-copy-buttons). */}
        <IssueCopyButtons
          versionId={versionId}
          state={d.state}
          hasXml={d.signatures.length > 0}
          hasPdf={!!d.sealedPdf}
          xmlUrl={signingApi.signedXmlUrl(versionId)}
          pdfUrl={signingApi.sealedPdfUrl(versionId)}
          xmlTestId="timeline-signed-xml"
          pdfTestId="timeline-sealed-pdf"
          xmlLabel={t('timeline.downloadXml')}
          pdfLabel={t('timeline.downloadSealed')}
        />
        {can('records.sign') && !CLOSED.has(d.state) && (
          <Button danger icon={<RollbackOutlined />} onClick={() => setReturning(true)} data-testid="timeline-return">
            {t('timeline.return')}
          </Button>
        )}
      </Space>
      {done && <Alert type="success" showIcon style={{ marginTop: 8 }} title={t('timeline.returned')} data-testid="timeline-returned" />}
      <Modal
        open={returning}
        title={t('timeline.returnTitle')}
        onCancel={() => setReturning(false)}
        onOk={submit}
        okButtonProps={{ disabled: reason.trim().length < 5, loading: busy, danger: true, 'data-testid': 'return-confirm' } as never}
        okText={t('timeline.return')}
      >
        <Input.TextArea rows={4} maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('timeline.returnReason')} aria-label={t('timeline.returnReason')} data-testid="return-reason" />
        {error && <Alert type="error" showIcon style={{ marginTop: 8 }} title={error} data-testid="return-error" />}
      </Modal>
    </Card>
  );
}
