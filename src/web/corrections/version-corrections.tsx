/**
 * In the record viewer, above the PDF: why this version was returned ("Bị trả lại: … — ai,
 * khi nào"), which version replaced it (with a link) or which one it replaces, its
 * correction requests, and "Tạo yêu cầu sửa" for a returned or sealed latest version. The
 * server decides who may request; the button is offered to those holding the permission.
 */
import { useState } from 'react';
import { Alert, Button, Form, Input, Modal, Select, Space, Tag, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { formatDateTime } from '../format.ts';
import type { MessageKey } from '../i18n/index.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSession } from '../session/session-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { correctionsApi, type Correction, type CorrectionScope } from './corrections-api.ts';

export function statusColor(s: Correction['status']): string {
  return s === 'pending' ? 'gold' : s === 'approved' ? 'blue' : s === 'refrozen' ? 'green' : 'default';
}

export function VersionCorrections({ versionId, onSelect, onChanged }: { versionId: string; onSelect: (versionId: string) => void; onChanged: () => void }) {
  const { t } = useLocale();
  const { can } = useSession();
  const data = useApiData(() => correctionsApi.history(versionId), [versionId]);
  const [open, setOpen] = useState(false);
  if (!data.data) return null;
  const h = data.data;
  const me = h.versions.find((v) => v.versionId === versionId);
  if (!me) return null;
  const next = h.versions.find((v) => v.versionId === me.successorId);
  const prev = h.versions.find((v) => v.versionId === me.supersedesId);
  const mine = h.corrections.filter((c) => c.versionId === versionId);
  const openRequest = mine.some((c) => c.status === 'pending' || c.status === 'approved');
  const canRequest = can('records.correct') && !next && !openRequest && (me.state === 'returned' || me.state === 'sealed');
  return (
    <div data-testid="version-corrections" style={{ marginBottom: 8 }}>
      {me.returned && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 8 }}
          data-testid="returned-reason"
          title={t('corrections.returned', { reason: me.returned.reason, who: me.returned.returnedBy, when: formatDateTime(me.returned.returnedAt) })}
        />
      )}
      {next && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 8 }}
          data-testid="superseded-by"
          title={t('corrections.supersededBy', { version: me.version, next: next.version })}
          action={
            <Button size="small" onClick={() => onSelect(next.versionId)} data-testid="open-successor">
              {t('corrections.openVersion', { version: next.version })}
            </Button>
          }
        />
      )}
      {prev && !next && prev.state !== 'superseded' && <Alert type="info" showIcon style={{ marginBottom: 8 }} title={t('corrections.replaces', { version: prev.version })} />}
      {mine.map((c) => (
        <Typography.Paragraph key={c.id} style={{ marginBottom: 4 }}>
          <Space wrap size={6}>
            <Tag color={statusColor(c.status)}>{t(`corrections.status.${c.status}` as MessageKey)}</Tag>
            <span>{c.reason}</span>
            <Typography.Text type="secondary">
              — {c.requestedBy}, {formatDateTime(c.requestedAt)}
              {c.decidedBy ? ` · ${c.decidedBy}${c.decisionNote ? `: ${c.decisionNote}` : ''}` : ''}
            </Typography.Text>
          </Space>
        </Typography.Paragraph>
      ))}
      {canRequest && (
        <Button icon={<EditOutlined />} onClick={() => setOpen(true)} data-testid="create-correction">
          {t('corrections.create')}
        </Button>
      )}
      {open && (
        <RequestModal
          versionId={versionId}
          subjects={h.subjects}
          onClose={(sent) => {
            setOpen(false);
            if (sent) {
              data.reload();
              onChanged();
            }
          }}
        />
      )}
    </div>
  );
}

function RequestModal({ versionId, subjects, onClose }: { versionId: string; subjects: Array<{ code: string; name: string }>; onClose: (sent: boolean) => void }) {
  const { t } = useLocale();
  const [scope, setScope] = useState<CorrectionScope>('subject_rows');
  const [codes, setCodes] = useState<string[]>([]);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function send() {
    setBusy(true);
    setError(null);
    try {
      await correctionsApi.request({ versionId, scope, ...(scope === 'subject_rows' ? { subjects: codes } : {}), reason: reason.trim() });
      onClose(true);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }
  const ready = reason.trim().length >= 5 && (scope !== 'subject_rows' || codes.length > 0);
  return (
    <Modal open title={t('corrections.create')} onCancel={() => onClose(false)} onOk={send} okText={t('corrections.send')} okButtonProps={{ disabled: !ready, loading: busy, ...({ 'data-testid': 'send-correction' } as Record<string, string>) }} destroyOnHidden>
      <Form layout="vertical">
        <Form.Item label={t('corrections.scope')}>
          <Select
            value={scope}
            onChange={setScope}
            data-testid="correction-scope"
            options={(['subject_rows', 'year_summary', 'identity'] as const).map((s) => ({ value: s, label: t(`corrections.scope.${s}` as MessageKey) }))}
          />
        </Form.Item>
        {scope === 'subject_rows' && (
          <Form.Item label={t('corrections.subjects')}>
            <Select mode="multiple" value={codes} onChange={setCodes} data-testid="correction-subjects" options={subjects.map((s) => ({ value: s.code, label: s.name }))} />
          </Form.Item>
        )}
        <Form.Item label={t('corrections.reason')} extra={t('corrections.reasonHint')}>
          <Input.TextArea rows={3} value={reason} maxLength={1000} onChange={(e) => setReason(e.target.value)} data-testid="correction-reason" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}
