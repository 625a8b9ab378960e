/** "Phân công kiểm tra chéo" for a semester (principal, vice principal). */
import { useState } from 'react';
import { App, Button, Modal, Radio } from 'antd';
import { FileSearchOutlined } from '@ant-design/icons';
import type { Semester } from '../../server/api-types.ts';
import { api, isApiError } from '../api.ts';
import { useLocale } from '../i18n/locale-context.tsx';

export function CrossCheckAssign({ onAssigned }: { onAssigned: () => void }) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [semester, setSemester] = useState<Semester>(1);
  const [busy, setBusy] = useState(false);

  const assign = async () => {
    setBusy(true);
    try {
      await api.assignCrossChecks(semester);
      void message.success(t('crossCheck.assigned'));
      setOpen(false);
      onAssigned();
    } catch (error) {
      void message.error(isApiError(error) ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button type="primary" icon={<FileSearchOutlined />} onClick={() => setOpen(true)} data-testid="cross-check-assign">
        {t('crossCheck.assign')}
      </Button>
      <Modal
        open={open}
        title={t('crossCheck.assign')}
        okText={t('crossCheck.assign')}
        cancelText={t('common.cancel')}
        okButtonProps={{ loading: busy }}
        onOk={() => void assign()}
        onCancel={() => setOpen(false)}
      >
        <p>{t('crossCheck.assignText')}</p>
        <Radio.Group value={semester} onChange={(e) => setSemester(e.target.value as Semester)}>
          <Radio.Button value={1}>{t('semester.1')}</Radio.Button>
          <Radio.Button value={2}>{t('semester.2')}</Radio.Button>
        </Radio.Group>
      </Modal>
    </>
  );
}
