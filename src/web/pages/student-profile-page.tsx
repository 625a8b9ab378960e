/**
 * /students/:id — the học bạ identity page: fields grouped (student, family), mandatory
 * ones marked, problems next to their fields; edit for `canEdit`; class history; moving
 * and leaving for `students.enrol`.
 */
import { useState } from 'react';
import { Alert, Button, Col, Flex, Row, Space } from 'antd';
import { ArrowLeftOutlined, EditOutlined, LogoutOutlined, SwapOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router';
import { api } from '../api.ts';
import { ClassHistoryTimeline } from '../components/class-history-timeline.tsx';
import { ErrorResult } from '../components/error-result.tsx';
import { PageLoader } from '../components/page-loader.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { StudentEditModal } from '../components/student-edit-modal.tsx';
import { StudentFieldsCard } from '../components/student-fields-card.tsx';
import { StudentLifecycleModal } from '../components/student-lifecycle-modal.tsx';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSession } from '../session/session-context.tsx';
import { ExternalRecordsCard } from '../transfer/external-records-card.tsx';
import { problemsByField, STUDENT_FIELD_GROUPS } from '../students/fields.ts';
import { useApiData } from '../use-api-data.ts';

export function StudentProfilePage() {
  const { t } = useLocale();
  const { can } = useSession();
  const { id = '' } = useParams();
  const profile = useApiData(() => api.student(id), [id]);
  const [editing, setEditing] = useState(false);
  const [lifecycle, setLifecycle] = useState<'move' | 'leave' | null>(null);

  if (profile.loading && !profile.data) return <PageLoader />;
  if (profile.error || !profile.data) {
    const status = profile.error?.status === 400 ? 404 : undefined;
    return <ErrorResult status={status} error={profile.error} onRetry={profile.reload} />;
  }
  const p = profile.data;
  const problems = problemsByField(p.problems);
  const blocking = p.problems.filter((x) => x.severity === 'blocking').length;
  const enrol = can('students.enrol') && p.classId !== null;

  return (
    <>
      <PageTitle
        testId="student-heading"
        subtitle={p.className ? t('student.class', { name: p.className }) : t('student.noClass')}
        extra={
          <Space wrap>
            {p.classId && (
              <Link to={`/classes/${encodeURIComponent(p.classId)}`}>
                <Button icon={<ArrowLeftOutlined />}>{t('student.backToClass', { name: p.className ?? '' })}</Button>
              </Link>
            )}
            {p.canEdit && (
              <Button type="primary" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="student-edit">
                {t('student.edit')}
              </Button>
            )}
            {enrol && (
              <Button icon={<SwapOutlined />} onClick={() => setLifecycle('move')} data-testid="student-move">
                {t('student.move')}
              </Button>
            )}
            {enrol && (
              <Button danger icon={<LogoutOutlined />} onClick={() => setLifecycle('leave')} data-testid="student-leave">
                {t('student.leave')}
              </Button>
            )}
          </Space>
        }
      >
        {p.fields.fullName ?? t('student.title')}
      </PageTitle>
      <Flex vertical gap={16}>
        <Alert
          data-testid="student-status"
          type={blocking ? 'error' : p.problems.length ? 'warning' : 'success'}
          showIcon
          title={p.problems.length ? t('student.problems', { blocking, warnings: p.problems.length - blocking }) : t('student.clean')}
        />
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={16}>
            <Flex vertical gap={16}>
              {STUDENT_FIELD_GROUPS.map((group) => (
                <StudentFieldsCard
                  key={group.key}
                  title={t(group.key === 'student' ? 'student.group.student' : 'student.group.family')}
                  fields={group.fields}
                  profile={p}
                  problems={problems}
                  extraProblems={group.key === 'family' ? (problems.get('parents') ?? []) : group.key === 'student' ? (problems.get('duplicate') ?? []) : []}
                />
              ))}
            </Flex>
          </Col>
          <Col xs={24} xl={8}>
            <ClassHistoryTimeline history={p.history} />
            {can('classes.read_all') && <ExternalRecordsCard studentId={id} />}
          </Col>
        </Row>
      </Flex>
      {p.canEdit && <StudentEditModal profile={p} open={editing} onClose={() => setEditing(false)} onSaved={() => profile.reload()} />}
      {enrol && <StudentLifecycleModal mode={lifecycle} profile={p} onClose={() => setLifecycle(null)} onDone={() => profile.reload()} />}
    </>
  );
}
