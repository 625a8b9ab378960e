/** "Nộp bảng điểm": after a confirmation the sheet is submitted and locked. */
import { useState } from 'react';
import { App, Button, Tooltip } from 'antd';
import { SendOutlined } from '@ant-design/icons';
import { api, isApiError } from '../api.ts';
import { useLocale } from '../i18n/locale-context.tsx';

interface SubmitSheetButtonProps {
  sheetId: string;
  /** Every mark entered and saved. */
  ready: boolean;
  confirmText: string;
  beforeSubmit: () => Promise<boolean>;
  onSubmitted: () => void;
}

export function SubmitSheetButton({ sheetId, ready, confirmText, beforeSubmit, onSubmitted }: SubmitSheetButtonProps) {
  const { t } = useLocale();
  const { modal, message } = App.useApp();
  const [busy, setBusy] = useState(false);

  const confirm = () =>
    void modal.confirm({
      title: t('grades.submitConfirmTitle'),
      content: confirmText,
      okText: t('grades.submit'),
      cancelText: t('common.cancel'),
      okButtonProps: { 'data-testid': 'submit-confirm' },
      onOk: async () => {
        setBusy(true);
        try {
          if (!(await beforeSubmit())) {
            void message.warning(t('grades.submitIncomplete'));
            return;
          }
          await api.submitSheet(sheetId);
          void message.success(t('grades.submitted'));
          onSubmitted();
        } catch (error) {
          void message.error(isApiError(error) ? error.message : String(error));
        } finally {
          setBusy(false);
        }
      },
    });

  const button = (
    <Button type="primary" icon={<SendOutlined />} disabled={!ready} loading={busy} onClick={confirm} data-testid="submit-sheet">
      {t('grades.submit')}
    </Button>
  );
  return ready ? button : <Tooltip title={t('grades.submitIncomplete')}>{button}</Tooltip>;
}
