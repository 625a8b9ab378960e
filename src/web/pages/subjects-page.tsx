/** "Danh mục môn học" (school admin): edit a subject's names, periods per year, Ministry code and order in place. */
import { useState } from 'react';
import { App, Button, Table, Tag, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { requiredRegularMarks } from '../../domain/assessment/subject-semester.ts';
import { api, isApiError } from '../api.ts';
import type { Subject } from '../api-models.ts';
import { ErrorResult } from '../components/error-result.tsx';
import { PageTitle } from '../components/page-title.tsx';
import {
  SubjectEditButtons,
  SubjectNumberField,
  SubjectTextField,
  changesOf,
  draftOf,
  type SubjectDraft,
} from '../components/subject-row-editor.tsx';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSignedInSession } from '../session/session-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { EmptyState } from '../help/empty-state.tsx';

export function SubjectsPage() {
  const { t } = useLocale();
  const { message } = App.useApp();
  const session = useSignedInSession();
  const result = useApiData(() => api.subjects(), [session.activeSchoolId]);
  const [editing, setEditing] = useState<{ id: string; draft: SubjectDraft } | null>(null);
  const [busy, setBusy] = useState(false);

  if (result.error) return <ErrorResult error={result.error} onRetry={result.reload} />;
  const subjects = [...(result.data?.subjects ?? [])].sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name, 'vi'));

  const save = async (subject: Subject) => {
    if (!editing) return;
    if (!editing.draft.name.trim()) return void message.error(t('subjects.nameRequired'));
    const patch = changesOf(subject, editing.draft);
    if (Object.keys(patch).length === 0) return setEditing(null);
    setBusy(true);
    try {
      const saved = await api.updateSubject(subject.id, patch);
      void message.success(t('subjects.saved', { name: saved?.name ?? editing.draft.name }));
      setEditing(null);
      result.reload();
    } catch (error) {
      void message.error(isApiError(error) ? [error.message, ...(error.details ?? []).map((d) => d.message)].join(' ') : String(error));
    } finally {
      setBusy(false);
    }
  };
  const isEditing = (s: Subject) => editing?.id === s.id;
  const change = (patch: Partial<SubjectDraft>) => setEditing((e) => (e ? { ...e, draft: { ...e.draft, ...patch } } : e));
  const text = (field: 'name' | 'nameEn' | 'ministryCode', label: string) => (value: string | null, s: Subject) =>
    isEditing(s) && editing ? <SubjectTextField draft={editing.draft} onChange={change} field={field} label={label} /> : (value ?? '—');

  return (
    <>
      <PageTitle testId="subjects-heading">{t('subjects.title')}</PageTitle>
      <Table<Subject>
        data-testid="subjects-table"
        rowKey="id"
        size="middle"
        loading={result.loading}
        dataSource={subjects}
        locale={{ emptyText: <EmptyState testId="subjects-empty" what={t('subjects.empty')} next={t('empty.subjects.next')} help={{ page: 'can-bo-cntt', anchor: 'danh-muc-mon-hoc' }} /> }}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('subjects.order'),
            dataIndex: 'sortOrder',
            key: 'sortOrder',
            width: 90,
            render: (v: number, s) =>
              isEditing(s) && editing ? <SubjectNumberField draft={editing.draft} onChange={change} field="sortOrder" label={t('subjects.order')} /> : v,
          },
          { title: t('subjects.code'), dataIndex: 'code', key: 'code' },
          { title: t('subjects.name'), dataIndex: 'name', key: 'name', render: text('name', t('subjects.name')) },
          { title: t('subjects.nameEn'), dataIndex: 'nameEn', key: 'nameEn', responsive: ['lg'], render: text('nameEn', t('subjects.nameEn')) },
          {
            title: t('subjects.kind'),
            dataIndex: 'kind',
            key: 'kind',
            render: (v: Subject['kind']) => <Tag color={v === 'compulsory' ? 'blue' : 'default'}>{t(`subjects.kind.${v}`)}</Tag>,
          },
          {
            title: t('subjects.assessment'),
            dataIndex: 'assessment',
            key: 'assessment',
            render: (v: Subject['assessment']) => t(v === 'comment' ? 'assessment.comment' : 'assessment.score'),
          },
          {
            title: t('subjects.periods'),
            dataIndex: 'periodsPerYear',
            key: 'periods',
            render: (v: number, s) => {
              if (isEditing(s) && editing) {
                return <SubjectNumberField draft={editing.draft} onChange={change} field="periodsPerYear" label={t('subjects.periods')} />;
              }
              const count = s.assessment === 'score' ? requiredRegularMarks(v, false) : null;
              return (
                <span>
                  {v}
                  {count !== null && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {' '}
                      ({t('subjects.regularMarks', { count })})
                    </Typography.Text>
                  )}
                </span>
              );
            },
          },
          { title: t('subjects.ministryCode'), dataIndex: 'ministryCode', key: 'ministryCode', render: text('ministryCode', t('subjects.ministryCode')) },
          {
            title: '',
            key: 'edit',
            render: (_v, s) =>
              isEditing(s) ? (
                <SubjectEditButtons busy={busy} onSave={() => void save(s)} onCancel={() => setEditing(null)} />
              ) : (
                <Button size="small" icon={<EditOutlined />} disabled={editing !== null} onClick={() => setEditing({ id: s.id, draft: draftOf(s) })} data-testid={`edit-subject-${s.code}`}>
                  {t('common.edit')}
                </Button>
              ),
          },
        ]}
      />
    </>
  );
}
