/** "Nhập giá trị khác": a value that is in none of the sources, with the reason it is right (required). */
import { Form, Input, Modal } from 'antd';
import { useLocale } from '../i18n/locale-context.tsx';

interface ManualValueModalProps {
  open: boolean;
  fieldName: string;
  initial: string;
  onCancel: () => void;
  onSubmit: (value: string, reason: string) => Promise<void>;
}

export function ManualValueModal({ open, fieldName, initial, onCancel, onSubmit }: ManualValueModalProps) {
  const { t } = useLocale();
  const [form] = Form.useForm<{ value: string; reason: string }>();
  return (
    <Modal
      open={open}
      title={t('recon.manualTitle', { field: fieldName })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onCancel}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'manual-save' }}
    >
      <Form form={form} layout="vertical" initialValues={{ value: initial }} onFinish={(v) => onSubmit(v.value.trim(), v.reason.trim())}>
        <Form.Item name="value" label={t('recon.value')}>
          <Input maxLength={300} data-testid="manual-value" />
        </Form.Item>
        <Form.Item name="reason" label={t('recon.reason')} rules={[{ required: true, whitespace: true, message: t('recon.reasonRequired') }]}>
          <Input.TextArea rows={2} maxLength={1000} data-testid="manual-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
