/**
 * The identity fields as form items, shared by the edit form and the enrolment form:
 * dates typed dd/mm/yyyy, gender Nam/Nữ, ethnicity by name; mandatory ones required.
 */
import { Col, Form, Input, Row, Select, Typography } from 'antd';
import type { StudentFieldName } from '../../server/api-types.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { fieldLabel, STUDENT_FIELD_GROUPS } from '../students/fields.ts';
import { EthnicitySelect } from './ethnicity-select.tsx';

const DMY = /^\d{1,2}\/\d{1,2}\/\d{4}$/;

export function StudentFormFields({ mandatory }: { mandatory: readonly StudentFieldName[] }) {
  const { t, locale } = useLocale();
  const input = (field: StudentFieldName) => {
    if (field === 'gender') {
      return (
        <Select
          data-testid="field-gender"
          options={[
            { value: 'male', label: t('students.male') },
            { value: 'female', label: t('students.female') },
          ]}
        />
      );
    }
    if (field === 'ethnicityCode') return <EthnicitySelect />;
    if (field === 'birthDate') return <Input placeholder={t('student.datePlaceholder')} inputMode="numeric" data-testid="field-birthDate" />;
    return <Input maxLength={300} data-testid={`field-${field}`} />;
  };
  return (
    <>
      {STUDENT_FIELD_GROUPS.map((group) => (
        <div key={group.key}>
          <Typography.Title level={5}>{t(group.key === 'student' ? 'student.group.student' : 'student.group.family')}</Typography.Title>
          <Row gutter={12}>
            {group.fields.map((field) => (
              <Col xs={24} sm={12} key={field}>
                <Form.Item
                  name={field}
                  label={fieldLabel(field, locale)}
                  rules={[
                    ...(mandatory.includes(field) ? [{ required: true, message: t('exemptions.required', { what: fieldLabel(field, locale).toLowerCase() }) }] : []),
                    ...(field === 'birthDate' ? [{ pattern: DMY, message: t('student.dateInvalid') }] : []),
                  ]}
                >
                  {input(field)}
                </Form.Item>
              </Col>
            ))}
          </Row>
        </div>
      ))}
    </>
  );
}
