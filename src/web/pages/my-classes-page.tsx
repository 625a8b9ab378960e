/** "Lớp tôi dạy": the class-subjects a teacher teaches, each semester's sheet status and a link to it. */
import { Button, Table, Tag } from 'antd';
import { TableOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import type { MyClassSubject, Semester } from '../../server/api-types.ts';
import { api } from '../api.ts';
import { ErrorResult } from '../components/error-result.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { SheetStatusTag } from '../components/sheet-status-tag.tsx';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSignedInSession } from '../session/session-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { EmptyState } from '../help/empty-state.tsx';

export function MyClassesPage() {
  const { t } = useLocale();
  const session = useSignedInSession();
  const result = useApiData(() => api.myClassSubjects(), [session.activeSchoolId]);

  if (result.error) return <ErrorResult error={result.error} onRetry={result.reload} />;

  const semesterColumn = (semester: Semester) => ({
    title: t(semester === 1 ? 'semester.1' : 'semester.2'),
    key: `s${semester}`,
    render: (_: unknown, row: MyClassSubject) => {
      const sheet = row.sheets.find((s) => s.semester === semester);
      const label = t('myClasses.open', {
        subject: row.subjectName,
        className: row.className,
        semester: t(semester === 1 ? 'semester.1' : 'semester.2'),
      });
      return (
        <div style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' }}>
          <Link to={`/grade-sheets/${encodeURIComponent(row.id)}/${semester}`} data-testid={`open-sheet-${row.className}-${row.subjectCode}-${semester}`}>
            <Button size="small" icon={<TableOutlined />} aria-label={label} title={label}>
              {t(semester === 1 ? 'semester.1' : 'semester.2')}
            </Button>
          </Link>
          {sheet && <SheetStatusTag sheet={sheet} />}
        </div>
      );
    },
  });

  return (
    <>
      <PageTitle testId="my-classes-heading">{t('myClasses.title')}</PageTitle>
      <Table<MyClassSubject>
        data-testid="my-classes-table"
        rowKey="id"
        size="middle"
        loading={result.loading}
        dataSource={result.data?.classSubjects ?? []}
        locale={{
          emptyText: <EmptyState testId="my-classes-empty" what={t('myClasses.empty')} next={t('empty.myClasses.next')} help={{ page: 'giao-vien-bo-mon', anchor: 'lop-toi-day' }} />,
        }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('myClasses.class'),
            dataIndex: 'className',
            key: 'className',
            sorter: (a, b) => a.className.localeCompare(b.className, 'vi', { numeric: true }),
          },
          { title: t('myClasses.subject'), dataIndex: 'subjectName', key: 'subjectName' },
          {
            title: t('myClasses.assessment'),
            dataIndex: 'assessment',
            key: 'assessment',
            responsive: ['md'],
            render: (value: MyClassSubject['assessment']) => (
              <Tag>{t(value === 'comment' ? 'assessment.comment' : 'assessment.score')}</Tag>
            ),
          },
          semesterColumn(1),
          semesterColumn(2),
        ]}
      />
    </>
  );
}
