/** Every problem: student (links to the profile), field, severity, message, value, the person responsible. */
import { Table, Tag } from 'antd';
import { Link } from 'react-router';
import type { QualityBoardView } from '../../server/api-types.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { fieldLabel } from '../students/fields.ts';

type Problem = QualityBoardView['problems'][number];

export function QualityProblemsTable({ problems }: { problems: Problem[] }) {
  const { t, locale } = useLocale();
  return (
    <Table<Problem>
      data-testid="quality-problems"
      rowKey={(p) => `${p.studentId}|${p.field}|${p.code}`}
      size="small"
      dataSource={problems}
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('quality.noProblems') }}
      columns={[
        { title: t('quality.class'), dataIndex: 'className', key: 'class', width: 70 },
        {
          title: t('quality.student'),
          key: 'student',
          render: (_v, p) => (
            <Link to={`/students/${encodeURIComponent(p.studentId)}`} data-testid="quality-problem-student">
              {p.studentName}
            </Link>
          ),
        },
        { title: t('quality.field'), key: 'field', render: (_v, p) => fieldLabel(p.field, locale) },
        {
          title: t('quality.severity'),
          key: 'severity',
          render: (_v, p) => <Tag color={p.severity === 'blocking' ? 'red' : 'orange'}>{t(`quality.severity.${p.severity}`)}</Tag>,
        },
        { title: t('quality.problem'), key: 'message', render: (_v, p) => p.message[locale] },
        { title: t('quality.value'), dataIndex: 'value', key: 'value', responsive: ['md'], render: (v: string | null) => v ?? '' },
        { title: t('quality.responsible'), dataIndex: 'responsible', key: 'responsible', responsive: ['lg'], render: (v: string | null) => v ?? t('common.none') },
      ]}
    />
  );
}
