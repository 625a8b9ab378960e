/**
 * "Lớp chủ nhiệm": `/homeroom` finds the person's homeroom class; `/homeroom/:classId`
 * shows it (editable by its homeroom teacher, read-only for leadership).
 */
import { Alert, Button, List, Tabs } from 'antd';
import { ArrowLeftOutlined, EditOutlined } from '@ant-design/icons';
import { FreezeClassButton } from '../components/freeze-class-button.tsx';
import { Link, Navigate, useParams } from 'react-router';
import { api } from '../api.ts';
import { ErrorResult } from '../components/error-result.tsx';
import { AttendanceRegister } from '../components/attendance-register.tsx';
import { ExemptionsPanel } from '../components/exemptions-panel.tsx';
import { HomeroomStudentsTable } from '../components/homeroom-students-table.tsx';
import { HomeroomSubjectsTable } from '../components/homeroom-subjects-table.tsx';
import { PageLoader } from '../components/page-loader.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { ClassRecordsPanel } from '../records/class-records-panel.tsx';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSession, useSignedInSession } from '../session/session-context.tsx';
import { useApiData } from '../use-api-data.ts';

export function HomeroomPickerPage() {
  const { t } = useLocale();
  const session = useSignedInSession();
  const classes = useApiData(() => api.classes(), [session.activeSchoolId]);
  if (classes.loading && !classes.data) return <PageLoader />;
  if (classes.error || !classes.data) return <ErrorResult error={classes.error} onRetry={classes.reload} />;
  // The class list names each class's homeroom teacher; a homeroom teacher's own classes carry their name.
  const mine = classes.data.classes.filter((c) => c.homeroomTeacher === session.user.displayName);
  const first = mine[0];
  if (mine.length === 1 && first) return <Navigate replace to={`/homeroom/${encodeURIComponent(first.id)}`} />;
  return (
    <>
      <PageTitle testId="homeroom-heading">{t('nav.homeroom')}</PageTitle>
      {mine.length === 0 ? (
        <Alert type="info" showIcon title={t('homeroom.none')} />
      ) : (
        <List
          bordered
          dataSource={mine}
          renderItem={(c) => (
            <List.Item>
              <Link to={`/homeroom/${encodeURIComponent(c.id)}`}>{c.name}</Link>
            </List.Item>
          )}
        />
      )}
    </>
  );
}

export function HomeroomPage() {
  const { t } = useLocale();
  const { can } = useSession();
  const { classId = '' } = useParams();
  const view = useApiData(() => api.homeroom(classId), [classId]);

  if (view.loading && !view.data) return <PageLoader />;
  if (view.error || !view.data) {
    const status = view.error?.status === 400 ? 404 : undefined;
    return <ErrorResult status={status} error={view.error} onRetry={view.reload} />;
  }
  const data = view.data;
  return (
    <>
      <PageTitle
        testId="homeroom-heading"
        extra={
          <>
            {data.canEdit && <FreezeClassButton classId={data.class.id} />}{' '}
            {can('records.sign') && (
              <Link to="/signing">
                <Button icon={<EditOutlined />} data-testid="homeroom-sign">{t('nav.signing')}</Button>
              </Link>
            )}{' '}
            {can('classes.read') && (
              <Link to="/classes">
                <Button icon={<ArrowLeftOutlined />}>{t('nav.classes')}</Button>
              </Link>
            )}
          </>
        }
      >
        {t(data.canEdit ? 'homeroom.title' : 'homeroom.resultsTitle', { name: data.class.name })}
      </PageTitle>
      {!data.canEdit && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('homeroom.readOnly')} />}
      <Tabs
        items={[
          { key: 'students', label: t('homeroom.tab.students'), children: <HomeroomStudentsTable view={data} onSaved={view.reload} /> },
          { key: 'attendance', label: t('homeroom.tab.attendance'), children: <AttendanceRegister classId={data.class.id} onSaved={view.reload} /> },
          { key: 'subjects', label: t('homeroom.tab.subjects'), children: <HomeroomSubjectsTable subjects={data.subjects} /> },
          // Each student's record state, the viewer and the class export (the GVCN's and the leadership's).
          { key: 'records', label: <span data-testid="homeroom-tab-records">{t('records.tab')}</span>, children: <ClassRecordsPanel classId={data.class.id} /> },
          ...(can('exemptions.manage')
            ? [{ key: 'exemptions', label: t('homeroom.tab.exemptions'), children: <ExemptionsPanel view={data} onChanged={view.reload} /> }]
            : []),
        ]}
      />
    </>
  );
}
