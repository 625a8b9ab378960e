/** Classes of the active school; a row opens the class's student list. */
import { Table } from 'antd';
import { Link, useNavigate } from 'react-router';
import { api } from '../api.ts';
import type { ClassSummary } from '../api-models.ts';
import { ErrorResult } from '../components/error-result.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSession, useSignedInSession } from '../session/session-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { EmptyState } from '../help/empty-state.tsx';

export function ClassesPage() {
  const { t } = useLocale();
  const session = useSignedInSession();
  const { can } = useSession();
  const seesResults = can('classes.read_all') || can('homeroom.manage');
  const navigate = useNavigate();
  const classes = useApiData(() => api.classes(), [session.activeSchoolId]);

  if (classes.error) return <ErrorResult error={classes.error} onRetry={classes.reload} />;

  const open = (row: ClassSummary) => void navigate(`/classes/${encodeURIComponent(row.id)}`);
  return (
    <>
      <PageTitle testId="classes-heading">{t('classes.title')}</PageTitle>
      <Table<ClassSummary>
        data-testid="classes-table"
        rowKey="id"
        size="middle"
        loading={classes.loading}
        dataSource={classes.data?.classes ?? []}
        locale={{
          emptyText: (
            <EmptyState
              testId="classes-empty"
              what={t('classes.empty')}
              next={t('empty.classes.next')}
              action={can('school.configure') ? { label: t('empty.classes.action'), to: '/school-settings' } : null}
              help={{ page: 'can-bo-cntt', anchor: 'lop-hoc' }}
            />
          ),
        }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        onRow={(row) => ({
          onClick: () => open(row),
          onKeyDown: (event) => {
            if (event.key === 'Enter') open(row);
          },
          tabIndex: 0,
          style: { cursor: 'pointer' },
          title: t('classes.open'),
        })}
        columns={[
          {
            title: t('classes.name'),
            dataIndex: 'name',
            key: 'name',
            sorter: (a, b) => a.name.localeCompare(b.name, 'vi', { numeric: true }),
            defaultSortOrder: 'ascend',
          },
          {
            title: t('classes.grade'),
            dataIndex: 'grade',
            key: 'grade',
            sorter: (a, b) => a.grade - b.grade,
            filters: [10, 11, 12].map((grade) => ({ text: String(grade), value: grade })),
            onFilter: (value, row) => row.grade === value,
          },
          {
            title: t('classes.homeroom'),
            dataIndex: 'homeroomTeacher',
            key: 'homeroomTeacher',
            render: (name: string | null) => name ?? t('common.none'),
          },
          {
            title: t('classes.electives'),
            dataIndex: 'electiveCombination',
            key: 'electiveCombination',
            responsive: ['lg'],
            render: (text: string | null | undefined) => text ?? t('common.none'),
          },
          { title: t('classes.students'), dataIndex: 'studentCount', key: 'studentCount', align: 'right' },
          ...(seesResults
            ? [
                {
                  title: '',
                  key: 'results',
                  render: (_value: unknown, row: ClassSummary) => (
                    // The row opens the student list; this link opens the results instead.
                    <Link
                      to={`/homeroom/${encodeURIComponent(row.id)}`}
                      onClick={(event) => event.stopPropagation()}
                      data-testid={`class-results-${row.name}`}
                    >
                      {t('classes.results')}
                    </Link>
                  ),
                },
              ]
            : []),
        ]}
      />
    </>
  );
}
