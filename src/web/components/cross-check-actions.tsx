/** A reviewer records "Đã kiểm tra" / "Có sai sót" with a note; the teacher answers an issue. */
import { useState } from 'react';
import { App, Button, Input, Modal, Radio, Space } from 'antd';
import type { CrossCheckView } from '../../server/api-types.ts';
import { api, isApiError } from '../api.ts';
import { useLocale } from '../i18n/locale-context.tsx';

export function CrossCheckActions({ check, onDone }: { check: CrossCheckView; onDone: () => void }) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const [mode, setMode] = useState<'review' | 'answer' | null>(null);
  const [status, setStatus] = useState<'checked' | 'issue_found'>('checked');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const open = (next: 'review' | 'answer') => {
    setMode(next);
    setText('');
    setError(null);
    setStatus('checked');
  };
  const send = async () => {
    if (mode === 'answer' && !text.trim()) return setError(t('crossCheck.answerRequired'));
    if (mode === 'review' && status === 'issue_found' && !text.trim()) return setError(t('crossCheck.noteRequired'));
    setBusy(true);
    try {
      if (mode === 'answer') await api.answerCrossCheck(check.id, text.trim());
      else await api.reviewCrossCheck(check.id, { status, ...(text.trim() ? { note: text.trim() } : {}) });
      void message.success(t('crossCheck.saved'));
      setMode(null);
      onDone();
    } catch (caught) {
      setError(isApiError(caught) ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };

  if (!check.can.review && !check.can.answer) return null;
  return (
    <>
      <Space>
        {check.can.review && (
          <Button size="small" type="primary" onClick={() => open('review')} data-testid="cross-check-review">
            {t('crossCheck.markChecked')} / {t('crossCheck.markIssue')}
          </Button>
        )}
        {check.can.answer && (
          <Button size="small" onClick={() => open('answer')} data-testid="cross-check-answer">
            {t('crossCheck.reply')}
          </Button>
        )}
      </Space>
      <Modal
        open={mode !== null}
        title={mode === 'answer' ? t('crossCheck.reply') : t('crossCheck.reviewTitle', { sheet: `${check.subjectName} ${check.className}` })}
        onOk={() => void send()}
        onCancel={() => setMode(null)}
        okButtonProps={{ loading: busy }}
        cancelText={t('common.cancel')}
        destroyOnHidden
      >
        {mode === 'review' && (
          <Radio.Group value={status} onChange={(e) => setStatus(e.target.value as typeof status)} style={{ marginBottom: 12 }}>
            <Radio.Button value="checked">{t('crossCheck.markChecked')}</Radio.Button>
            <Radio.Button value="issue_found">{t('crossCheck.markIssue')}</Radio.Button>
          </Radio.Group>
        )}
        {mode === 'answer' && check.note && <p>{check.note}</p>}
        <Input.TextArea
          rows={3}
          value={text}
          aria-label={mode === 'answer' ? t('crossCheck.answer') : t('crossCheck.note')}
          placeholder={mode === 'answer' ? t('crossCheck.answer') : t('crossCheck.note')}
          onChange={(e) => setText(e.target.value)}
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
