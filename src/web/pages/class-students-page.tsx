/** The students of one class (403 for people who may not see that class). */
import { useState } from 'react';
import { Button, Card, Space, Table } from 'antd';
import { ArrowLeftOutlined, AuditOutlined, UserAddOutlined } from '@ant-design/icons';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api.ts';
import type { ClassStudent } from '../api-models.ts';
import { ClassSubjectsCard } from '../components/class-subjects-card.tsx';
import { EnrolStudentModal } from '../components/enrol-student-modal.tsx';
import { ErrorResult } from '../components/error-result.tsx';
import { StudentImportWizard } from '../components/student-import-wizard.tsx';
import { PageLoader } from '../components/page-loader.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { formatDate } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSession } from '../session/session-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { ViewRecordButton } from '../records/class-records-panel.tsx';
import { ExportPanel } from '../records/export-panel.tsx';
import { RecordStateTag } from '../records/record-state.tsx';
import { RecordViewer, type ViewedStudent } from '../records/record-viewer.tsx';
import { recordsApi } from '../records/records-api.ts';
import { EmptyState } from '../help/empty-state.tsx';

export function ClassStudentsPage() {
  const { t } = useLocale();
  const { classId = '' } = useParams();
  const { can } = useSession();
  const navigate = useNavigate();
  const result = useApiData(() => api.classStudents(classId), [classId]);
  const [enrolling, setEnrolling] = useState(false);
  // Each student's record state comes from the server's records view, joined here by student.
  const records = useApiData(() => recordsApi.classRecords(classId), [classId]);
  const recordOf = new Map((records.data?.students ?? []).map((s) => [s.studentId, s.record]));
  const [viewing, setViewing] = useState<ViewedStudent | null>(null);

  if (result.loading && !result.data) return <PageLoader />;
  if (result.error || !result.data) {
    // A malformed class id in the URL is answered 400: for the person it is a missing page.
    const status = result.error?.status === 400 ? 404 : undefined;
    return <ErrorResult status={status} error={result.error} onRetry={result.reload} />;
  }

  return (
    <>
      <PageTitle
        testId="class-students-heading"
        extra={
          <Space wrap>
            <Link to="/classes">
              <Button icon={<ArrowLeftOutlined />}>{t('common.back')}</Button>
            </Link>
            <Link to={`/classes/${encodeURIComponent(classId)}/reconciliation`} data-testid="open-reconciliation">
              <Button icon={<AuditOutlined />}>{t('students.reconcile')}</Button>
            </Link>
            {can('students.edit') && <StudentImportWizard classId={classId} className={result.data.class.name} onImported={result.reload} />}
            {can('students.enrol') && (
              <Button type="primary" icon={<UserAddOutlined />} onClick={() => setEnrolling(true)} data-testid="enrol-open">
                {t('students.add')}
              </Button>
            )}
          </Space>
        }
      >
        {t('students.title', { name: result.data.class.name })}
      </PageTitle>
      {records.data?.canExport && (
        <Card size="small" style={{ marginBottom: 12 }}>
          <ExportPanel scope="class" classId={classId} />
        </Card>
      )}
      <Table<ClassStudent>
        data-testid="class-students-table"
        rowKey="id"
        size="middle"
        dataSource={result.data.students}
        locale={{
          emptyText: (
            <EmptyState
              testId="class-students-empty"
              what={t('students.empty')}
              next={can('students.edit') ? t('empty.students.next', { button: t('import.button') }) : undefined}
              help={{ page: 'can-bo-cntt', anchor: 'nhap-danh-sach' }}
            />
          ),
        }}
        pagination={{ pageSize: 60, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: '#', key: 'index', width: 48, render: (_value, _row, index) => index + 1 },
          {
            title: t('students.fullName'),
            dataIndex: 'fullName',
            key: 'fullName',
            render: (name: string, row: ClassStudent) => (
              <Link to={`/students/${encodeURIComponent(row.id)}`} data-testid="student-link">
                {name}
              </Link>
            ),
          },
          {
            title: t('students.gender'),
            dataIndex: 'gender',
            key: 'gender',
            render: (gender: ClassStudent['gender']) => t(gender === 'female' ? 'students.female' : 'students.male'),
          },
          {
            title: t('students.birthDate'),
            dataIndex: 'birthDate',
            key: 'birthDate',
            render: (date: string) => formatDate(date),
          },
          { title: t('students.code'), dataIndex: 'studentCode', key: 'studentCode' },
          { title: t('students.personalId'), dataIndex: 'personalId', key: 'personalId' },
          {
            title: t('records.column'),
            key: 'record',
            render: (_value, row: ClassStudent) => {
              const record = recordOf.get(row.id);
              if (!record) return records.loading ? '…' : '—';
              return (
                <Space size={8} wrap>
                  <RecordStateTag record={record} testId={`record-state-${row.id}`} />
                  <ViewRecordButton row={{ studentId: row.id, fullName: row.fullName, record }} onView={setViewing} />
                </Space>
              );
            },
          },
        ]}
      />
      <RecordViewer student={viewing} onClose={() => setViewing(null)} />
      {can('subjects.manage') && <ClassSubjectsCard classId={classId} />}
      {can('students.enrol') && (
        <EnrolStudentModal
          classId={classId}
          className={result.data.class.name}
          open={enrolling}
          onClose={() => setEnrolling(false)}
          onEnrolled={(id) => void navigate(`/students/${encodeURIComponent(id)}`)}
        />
      )}
    </>
  );
}
