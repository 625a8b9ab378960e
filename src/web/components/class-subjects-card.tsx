/**
 * A class's subjects, their teachers and topic clusters, for the school administrator
 * (`subjects.manage`). The server refuses changes that would alter recorded marks; its
 * message is shown as it comes.
 */
import { useState, type HTMLAttributes } from 'react';
import { App, Button, Card, Popconfirm, Select, Space, Switch, Table, Tag } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { api, ApiError } from '../api.ts';
import type { ClassSubjectList } from '../api-models.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useApiData } from '../use-api-data.ts';

type Row = ClassSubjectList['subjects'][number];

export function ClassSubjectsCard({ classId }: { classId: string }) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const list = useApiData(() => api.classSubjects(classId), [classId]);
  const staff = useApiData(() => api.staff(), []);
  const catalogue = useApiData(() => api.subjects(), []);
  const [adding, setAdding] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await action();
      message.success(t('classSubjects.saved'));
      list.reload();
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const rows = list.data?.subjects ?? [];
  const missing = (catalogue.data?.subjects ?? []).filter((s) => !rows.some((r) => r.subjectId === s.id));
  const teachers = (staff.data?.staff ?? []).map((s) => ({ value: s.id, label: s.department ? `${s.fullName} — ${s.department}` : s.fullName }));

  return (
    <Card title={t('classSubjects.title')} style={{ marginTop: 16 }} data-testid="class-subjects-card">
      <Table<Row>
        rowKey="id"
        size="small"
        loading={list.loading || busy}
        dataSource={rows}
        pagination={false}
        onRow={(r) => ({ 'data-testid': `class-subject-${r.code}` }) as HTMLAttributes<HTMLElement>}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('classSubjects.subject'), dataIndex: 'name', key: 'name', render: (name: string, r) => (r.hasMarks ? <Space>{name}<Tag>{t('classSubjects.hasMarks')}</Tag></Space> : name) },
          {
            title: t('classSubjects.teacher'),
            key: 'teacher',
            render: (_: unknown, r) => (
              <Select
                style={{ minWidth: 260 }}
                showSearch
                optionFilterProp="label"
                allowClear
                placeholder={t('classSubjects.noTeacher')}
                value={r.teacherStaffId ?? undefined}
                options={teachers}
                onChange={(v) => void run(() => api.setClassSubject(classId, r.subjectId, { teacherStaffId: v ?? null }))}
              />
            ),
          },
          {
            title: t('classSubjects.topicCluster'),
            key: 'cluster',
            render: (_: unknown, r) => <Switch checked={r.topicCluster} onChange={(v) => void run(() => api.setClassSubject(classId, r.subjectId, { topicCluster: v }))} />,
          },
          {
            key: 'remove',
            render: (_: unknown, r) => (
              <Popconfirm title={t('classSubjects.removeConfirm')} onConfirm={() => run(() => api.removeClassSubject(r.id))}>
                <Button size="small" danger icon={<DeleteOutlined />} disabled={r.hasMarks}>
                  {t('classSubjects.remove')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      {missing.length > 0 && (
        <Space style={{ marginTop: 12 }} wrap>
          <Select style={{ minWidth: 260 }} placeholder={t('classSubjects.subject')} value={adding ?? undefined} onChange={setAdding} options={missing.map((s) => ({ value: s.id, label: s.name }))} />
          <Button icon={<PlusOutlined />} disabled={!adding} onClick={() => adding && void run(() => api.setClassSubject(classId, adding, {})).then(() => setAdding(null))}>
            {t('classSubjects.add')}
          </Button>
        </Space>
      )}
    </Card>
  );
}
