/** Edits a student's identity data; only changed fields are sent, with an optional reason (audited). */
import { useState } from 'react';
import { Alert, App, Form, Input, Modal } from 'antd';
import type { StudentFieldName, StudentProfileView } from '../../server/api-types.ts';
import { api, isApiError, type ApiError } from '../api.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { ALL_STUDENT_FIELDS, formValue } from '../students/fields.ts';
import { StudentFormFields } from './student-form-fields.tsx';

interface StudentEditModalProps {
  profile: StudentProfileView;
  open: boolean;
  onClose: () => void;
  onSaved: (profile: StudentProfileView) => void;
}

type Values = Partial<Record<StudentFieldName, string | null>> & { reason?: string };

export function StudentEditModal({ profile, open, onClose, onSaved }: StudentEditModalProps) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const initial = Object.fromEntries(ALL_STUDENT_FIELDS.map((f) => [f, formValue(f, profile.fields[f]) || null]));

  const submit = async (values: Values) => {
    const changed: Partial<Record<StudentFieldName, string | null>> = {};
    for (const field of ALL_STUDENT_FIELDS) {
      const raw = values[field];
      const next = typeof raw === 'string' ? raw.trim() || null : (raw ?? null);
      if (next !== (initial[field] ?? null)) changed[field] = next;
    }
    if (Object.keys(changed).length === 0) {
      void message.info(t('student.noChanges'));
      onClose();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const reason = values.reason?.trim();
      const saved = await api.updateStudent(profile.id, { values: changed, ...(reason ? { reason } : {}) });
      void message.success(t('student.saved'));
      onSaved(saved);
      onClose();
    } catch (caught) {
      if (!isApiError(caught)) return void message.error(String(caught));
      setError(caught);
      // Field-level details go next to their fields.
      const known = new Set<string>(ALL_STUDENT_FIELDS);
      form.setFields((caught.details ?? []).filter((d) => known.has(d.path)).map((d) => ({ name: d.path as StudentFieldName, errors: [d.message] })));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('student.editTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      width={760}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'student-save' }}
    >
      <Form<Values> form={form} layout="vertical" initialValues={initial} onFinish={(v) => void submit(v)} data-testid="student-edit-form">
        <StudentFormFields mandatory={profile.mandatory} />
        <Form.Item name="reason" label={t('student.reason')}>
          <Input.TextArea rows={2} maxLength={1000} placeholder={t('student.reasonPlaceholder')} data-testid="field-reason" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon data-testid="student-save-error" title={error.message} />}
    </Modal>
  );
}
