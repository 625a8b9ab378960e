/**
 * "Chuyển lớp" and "Chuyển trường / thôi học / tốt nghiệp" (`students.enrol`): a date
 * (dd/mm/yyyy) and a reason, plus the target class or the kind of leaving.
 */
import { useState } from 'react';
import { Alert, App, DatePicker, Form, Input, Modal, Radio, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { StudentProfileView } from '../../server/api-types.ts';
import { api, isApiError, type ApiError } from '../api.ts';
import type { LeaveKind } from '../api-models.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useApiData } from '../use-api-data.ts';

interface StudentLifecycleModalProps {
  mode: 'move' | 'leave' | null;
  profile: StudentProfileView;
  onClose: () => void;
  onDone: (profile: StudentProfileView) => void;
}

interface Values {
  toClassId?: string;
  kind?: LeaveKind;
  on: Dayjs;
  reason: string;
}

const LEAVE_KINDS: LeaveKind[] = ['transferred_out', 'dropped_out', 'graduated'];

export function StudentLifecycleModal({ mode, profile, onClose, onDone }: StudentLifecycleModalProps) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const classes = useApiData(() => (mode === 'move' ? api.classes() : Promise.resolve({ classes: [] })), [mode]);
  const name = profile.fields.fullName ?? '';

  const submit = async (values: Values) => {
    setBusy(true);
    setError(null);
    try {
      const on = values.on.format('DD/MM/YYYY');
      const reason = values.reason.trim();
      const result =
        mode === 'move'
          ? await api.moveStudent(profile.id, { toClassId: values.toClassId!, on, reason })
          : await api.leaveStudent(profile.id, { kind: values.kind!, on, reason });
      void message.success(t(mode === 'move' ? 'student.moved' : 'student.left'));
      onDone(result);
      onClose();
    } catch (caught) {
      if (isApiError(caught)) setError(caught);
      else void message.error(String(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={mode !== null}
      title={t(mode === 'move' ? 'student.moveTitle' : 'student.leaveTitle', { name })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'lifecycle-save' }}
    >
      <Form<Values> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ on: dayjs(), kind: 'transferred_out' }}>
        {mode === 'move' ? (
          <Form.Item name="toClassId" label={t('student.toClass')} rules={[{ required: true, message: t('exemptions.required', { what: t('student.toClass').toLowerCase() }) }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              loading={classes.loading}
              options={(classes.data?.classes ?? [])
                .filter((c) => c.id !== profile.classId)
                .sort((a, b) => a.name.localeCompare(b.name, 'vi', { numeric: true }))
                .map((c) => ({ value: c.id, label: c.name }))}
            />
          </Form.Item>
        ) : (
          <Form.Item name="kind" label={t('student.leaveKind')}>
            <Radio.Group options={LEAVE_KINDS.map((k) => ({ value: k, label: t(`student.leave.${k}`) }))} />
          </Form.Item>
        )}
        <Form.Item name="on" label={t('student.on')} rules={[{ required: true, message: t('student.dateInvalid') }]}>
          <DatePicker format="DD/MM/YYYY" allowClear={false} />
        </Form.Item>
        <Form.Item name="reason" label={t('student.lifecycleReason')} rules={[{ required: true, whitespace: true, min: 3, message: t('student.reasonRequired') }]}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error.message} description={error.details?.map((d) => d.message).join(' ')} />}
    </Modal>
  );
}
