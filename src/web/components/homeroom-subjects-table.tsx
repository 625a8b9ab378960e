/** Which subjects of the class are not finished yet, per semester: who has not entered or submitted what. */
import { Alert, Table } from 'antd';
import type { HomeroomView } from '../../server/api-types.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { SheetStatusTag } from './sheet-status-tag.tsx';

type SubjectRow = HomeroomView['subjects'][number];

export function HomeroomSubjectsTable({ subjects }: { subjects: SubjectRow[] }) {
  const { t } = useLocale();
  const unfinished = subjects.filter((s) => (['1', '2'] as const).some((k) => !s.semesters[k].complete || s.semesters[k].status !== 'submitted'));
  return (
    <>
      <Alert
        style={{ marginBottom: 12 }}
        type={unfinished.length === 0 ? 'success' : 'warning'}
        showIcon
        title={unfinished.length === 0 ? t('homeroom.allDone') : t('homeroom.notDone', { count: unfinished.length })}
      />
      <Table<SubjectRow>
        data-testid="homeroom-subjects"
        rowKey="classSubjectId"
        size="small"
        dataSource={subjects}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('homeroom.subject'), dataIndex: 'subjectName', key: 'subject' },
          { title: t('homeroom.teacher'), dataIndex: 'teacher', key: 'teacher', render: (v: string | null) => v ?? t('common.none') },
          ...([1, 2] as const).map((semester) => ({
            title: t(semester === 1 ? 'semester.1' : 'semester.2'),
            key: `s${semester}`,
            render: (_v: unknown, row: SubjectRow) => <SheetStatusTag sheet={row.semesters[String(semester) as '1' | '2']} />,
          })),
        ]}
      />
    </>
  );
}
