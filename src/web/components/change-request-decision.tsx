/** Approve or reject one change request, with a note (required to reject). */
import { useState } from 'react';
import { App, Button, Input, Modal, Space } from 'antd';
import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import type { ChangeRequestView } from '../../server/api-types.ts';
import { api, isApiError } from '../api.ts';
import { useLocale } from '../i18n/locale-context.tsx';

export function ChangeRequestDecision({ request, onDecided }: { request: ChangeRequestView; onDecided: () => void }) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const [approve, setApprove] = useState<boolean | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const decide = async () => {
    if (approve === null) return;
    if (!approve && !note.trim()) {
      setError(t('changes.noteRequired'));
      return;
    }
    setBusy(true);
    try {
      await api.decideChangeRequest(request.id, { approve, ...(note.trim() ? { note: note.trim() } : {}) });
      void message.success(t(approve ? 'changes.approvedDone' : 'changes.rejectedDone'));
      setApprove(null);
      onDecided();
    } catch (caught) {
      setError(isApiError(caught) ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };
  const open = (value: boolean) => {
    setApprove(value);
    setNote('');
    setError(null);
  };

  return (
    <>
      <Space wrap>
        <Button type="primary" size="small" icon={<CheckOutlined />} onClick={() => open(true)} data-testid="approve-request">
          {t('changes.approve')}
        </Button>
        <Button danger size="small" icon={<CloseOutlined />} onClick={() => open(false)} data-testid="reject-request">
          {t('changes.reject')}
        </Button>
      </Space>
      <Modal
        open={approve !== null}
        title={t(approve ? 'changes.approveTitle' : 'changes.rejectTitle')}
        okText={t(approve ? 'changes.approve' : 'changes.reject')}
        okButtonProps={{ danger: approve === false, loading: busy, 'data-testid': 'decision-confirm' }}
        cancelText={t('common.cancel')}
        onOk={() => void decide()}
        onCancel={() => setApprove(null)}
        destroyOnHidden
      >
        <Input.TextArea
          rows={3}
          value={note}
          placeholder={t('changes.note')}
          aria-label={t('changes.note')}
          onChange={(e) => setNote(e.target.value)}
          data-testid="decision-note"
        />
        {error && (
          <div role="alert" style={{ color: '#cf1322', marginTop: 8 }}>
            {error}
          </div>
        )}
      </Modal>
    </>
  );
}
