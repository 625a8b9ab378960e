/** "Thêm miễn học": the principal's or vice principal's decision for one student and one class-subject. */
import { useState } from 'react';
import { Alert, App, Checkbox, Form, Input, Modal, Radio, Select } from 'antd';
import type { HomeroomView } from '../../server/api-types.ts';
import { api, isApiError, type ApiError } from '../api.ts';
import type { ExemptionCreate, ExemptionKind } from '../api-models.ts';
import { useLocale } from '../i18n/locale-context.tsx';

interface ExemptionFormModalProps {
  open: boolean;
  view: HomeroomView;
  onClose: () => void;
  onSaved: () => void;
}

interface Values {
  studentId: string;
  classSubjectId: string;
  kind: ExemptionKind;
  semesters: Array<1 | 2>;
  reason: string;
}

export function ExemptionFormModal({ open, view, onClose, onSaved }: ExemptionFormModalProps) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async (values: Values) => {
    setBusy(true);
    setError(null);
    try {
      const body: ExemptionCreate = { ...values, reason: values.reason.trim() };
      await api.createExemption(body);
      void message.success(t('exemptions.added'));
      form.resetFields();
      onSaved();
      onClose();
    } catch (caught) {
      if (isApiError(caught)) setError(caught);
      else void message.error(String(caught));
    } finally {
      setBusy(false);
    }
  };

  const required = (what: string) => [{ required: true, message: t('exemptions.required', { what: what.toLowerCase() }) }];
  return (
    <Modal
      open={open}
      title={t('exemptions.addTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'exemption-save' }}
    >
      <Form<Values> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ kind: 'whole_subject', semesters: [1, 2] }}>
        <Form.Item name="studentId" label={t('exemptions.student')} rules={required(t('exemptions.student'))}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            data-testid="exemption-student"
            options={view.students.map((s) => ({ value: s.studentId, label: s.fullName }))}
          />
        </Form.Item>
        <Form.Item name="classSubjectId" label={t('exemptions.subject')} rules={required(t('exemptions.subject'))}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            data-testid="exemption-subject"
            options={view.subjects.map((s) => ({ value: s.classSubjectId, label: s.subjectName }))}
          />
        </Form.Item>
        <Form.Item name="kind" label={t('exemptions.kind')}>
          <Radio.Group
            options={(['whole_subject', 'practical_part'] as const).map((kind) => ({ value: kind, label: t(`exemptions.kind.${kind}`) }))}
          />
        </Form.Item>
        <Form.Item name="semesters" label={t('exemptions.semesters')} rules={required(t('exemptions.semesters'))}>
          <Checkbox.Group options={[{ value: 1, label: t('semester.1') }, { value: 2, label: t('semester.2') }]} />
        </Form.Item>
        <Form.Item name="reason" label={t('exemptions.reason')} rules={[{ required: true, whitespace: true, message: t('exemptions.required', { what: t('exemptions.reason').toLowerCase() }) }]}>
          <Input.TextArea rows={3} maxLength={1000} placeholder={t('exemptions.reasonPlaceholder')} data-testid="exemption-reason" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon data-testid="exemption-error" title={error.message} description={error.details?.map((d) => d.message).join(' ')} />}
    </Modal>
  );
}
