/** "Thêm học sinh" (`students.enrol`): a new student or one transferred in, with their identity data. */
import { useState } from 'react';
import { Alert, App, DatePicker, Form, Input, Modal, Radio } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { StudentFieldName } from '../../server/api-types.ts';
import { api, isApiError, type ApiError } from '../api.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { ALL_STUDENT_FIELDS, ALWAYS_MANDATORY } from '../students/fields.ts';
import { StudentFormFields } from './student-form-fields.tsx';

interface EnrolStudentModalProps {
  classId: string;
  className: string;
  open: boolean;
  onClose: () => void;
  onEnrolled: (studentId: string) => void;
}

type Values = Partial<Record<StudentFieldName, string | null>> & { joinedAs: 'new' | 'transfer_in'; on: Dayjs; note?: string };

export function EnrolStudentModal({ classId, className, open, onClose, onEnrolled }: EnrolStudentModalProps) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async (values: Values) => {
    setBusy(true);
    setError(null);
    try {
      const data: Record<string, string | null> = {};
      for (const f of ALL_STUDENT_FIELDS) {
        const v = values[f];
        if (typeof v === 'string' && v.trim()) data[f] = v.trim();
      }
      const note = values.note?.trim();
      const created = await api.enrolStudent({ classId, on: values.on.format('DD/MM/YYYY'), joinedAs: values.joinedAs, ...(note ? { note } : {}), values: data });
      void message.success(t('students.added', { name: created.fields.fullName ?? '' }));
      form.resetFields();
      onEnrolled(created.id);
      onClose();
    } catch (caught) {
      if (!isApiError(caught)) return void message.error(String(caught));
      setError(caught);
      const known = new Set<string>(ALL_STUDENT_FIELDS);
      form.setFields((caught.details ?? []).filter((d) => known.has(d.path)).map((d) => ({ name: d.path as StudentFieldName, errors: [d.message] })));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('students.addTitle', { name: className })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      width={760}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'enrol-save' }}
    >
      <Form<Values> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ joinedAs: 'new', on: dayjs(), nationality: 'Việt Nam' }}>
        <Form.Item name="joinedAs" label={t('students.joinedAs')}>
          <Radio.Group options={(['new', 'transfer_in'] as const).map((k) => ({ value: k, label: t(`student.joinedAs.${k}`) }))} />
        </Form.Item>
        <Form.Item name="on" label={t('student.on')} rules={[{ required: true }]}>
          <DatePicker format="DD/MM/YYYY" allowClear={false} />
        </Form.Item>
        <Form.Item name="note" label={t('students.note')}>
          <Input maxLength={1000} />
        </Form.Item>
        {/* Only the always-mandatory fields are needed to enrol; missing ones show on the data-quality board. */}
        <StudentFormFields mandatory={ALWAYS_MANDATORY} />
      </Form>
      {error && <Alert type="error" showIcon title={error.message} description={error.details?.map((d) => `${d.path}: ${d.message}`).join(' · ')} />}
    </Modal>
  );
}
