/** The grade sheet's status line: "Đã lưu" / "Đang lưu…" / "N ô chưa lưu", and retry countdowns. */
import { useEffect, useState } from 'react';
import { Button, Space, Tag } from 'antd';
import { CheckCircleOutlined, ExclamationCircleOutlined, SyncOutlined } from '@ant-design/icons';
import type { SaveQueueStatus } from '../grade-book/save-queue.ts';
import { useLocale } from '../i18n/locale-context.tsx';

export function SaveStatus({ status, invalid, onRetry }: { status: SaveQueueStatus; invalid: number; onRetry: () => void }) {
  const { t } = useLocale();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!status.retryAt) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [status.retryAt]);

  const state = status.saving ? 'saving' : status.unsaved > 0 ? 'unsaved' : invalid > 0 ? 'invalid' : 'saved';
  return (
    <Space size={8} wrap data-testid="save-status" data-state={state} aria-live="polite">
      {state === 'saving' && (
        <Tag icon={<SyncOutlined spin />} color="processing">
          {t('grades.status.saving')}
        </Tag>
      )}
      {state === 'unsaved' && (
        <Tag icon={<ExclamationCircleOutlined />} color="warning">
          {t('grades.status.unsaved', { count: status.unsaved })}
        </Tag>
      )}
      {state === 'saved' && (
        <Tag icon={<CheckCircleOutlined />} color="success">
          {t('grades.status.saved')}
        </Tag>
      )}
      {invalid > 0 && (
        <Tag color="error" data-testid="invalid-count">
          {t('grades.status.invalid', { count: invalid })}
        </Tag>
      )}
      {status.retryAt && !status.saving && (
        <>
          <span data-testid="retry-countdown">
            {t('grades.status.retry', { seconds: Math.max(0, Math.ceil((status.retryAt - now) / 1000)) })}
          </span>
          <Button size="small" onClick={onRetry}>
            {t('grades.retryNow')}
          </Button>
        </>
      )}
    </Space>
  );
}
