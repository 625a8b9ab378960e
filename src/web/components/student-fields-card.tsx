/** A group of identity fields read-only, mandatory ones marked, each field's problems beneath its value. */
import { Card, Descriptions, Typography } from 'antd';
import type { RecordProblemView, StudentFieldName, StudentProfileView } from '../../server/api-types.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { displayValue, fieldLabel } from '../students/fields.ts';
import { RecordProblem } from './record-problem.tsx';

interface StudentFieldsCardProps {
  title: string;
  fields: readonly StudentFieldName[];
  profile: StudentProfileView;
  problems: Map<string, RecordProblemView[]>;
  /** Problems not tied to one field of this group (e.g. "no parent recorded"). */
  extraProblems?: RecordProblemView[];
}

export function StudentFieldsCard({ title, fields, profile, problems, extraProblems = [] }: StudentFieldsCardProps) {
  const { t, locale } = useLocale();
  return (
    <Card title={title} size="small">
      {extraProblems.map((p) => (
        <RecordProblem key={p.code} problem={p} />
      ))}
      <Descriptions
        column={{ xs: 1, sm: 1, md: 2 }}
        size="small"
        items={fields.map((field) => {
          const value = displayValue(field, profile.fields[field], locale);
          const own = problems.get(field) ?? [];
          return {
            key: field,
            label: (
              <span>
                {fieldLabel(field, locale)}
                {profile.mandatory.includes(field) && (
                  <Typography.Text type="danger" title={t('student.mandatory')} aria-label={t('student.mandatory')}>
                    {' '}*
                  </Typography.Text>
                )}
              </span>
            ),
            children: (
              <div data-testid={`profile-field-${field}`} data-problems={own.length}>
                {value ? <span data-testid={`profile-value-${field}`}>{value}</span> : <Typography.Text type="secondary">{t('student.empty')}</Typography.Text>}
                {own.map((p) => (
                  <RecordProblem key={p.code} problem={p} />
                ))}
              </div>
            ),
          };
        })}
      />
    </Card>
  );
}
