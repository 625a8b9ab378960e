/**
 * The homeroom teacher's table: per student and semester conduct, absences and the derived
 * learning result; for the year conduct, learning, absences, promotion, award and comment.
 * No ranks and no class averages (the school charter forbids comparing students).
 */
import { App, Popover, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { HomeroomView } from '../../server/api-types.ts';
import { api, isApiError } from '../api.ts';
import type { HomeroomUpdate } from '../api-models.ts';
import { resultLabel } from '../grade-book/labels.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { CommitOnBlurInput } from './commit-on-blur-input.tsx';
import { LevelSelect } from './level-select.tsx';

type Student = HomeroomView['students'][number];

interface HomeroomStudentsTableProps {
  view: HomeroomView;
  onSaved: () => void;
}

export function HomeroomStudentsTable({ view, onSaved }: HomeroomStudentsTableProps) {
  const { t, locale } = useLocale();
  const { message } = App.useApp();
  const readOnly = !view.canEdit;

  const save = async (student: Student, body: HomeroomUpdate) => {
    try {
      await api.updateHomeroomStudent(view.class.id, student.studentId, body);
      void message.success({ content: t('homeroom.saved'), duration: 1 });
      onSaved();
    } catch (error) {
      void message.error(isApiError(error) ? error.message : String(error));
    }
  };
  const level = (value: string | null) => (value ? <Tag>{resultLabel(value, locale)}</Tag> : <Typography.Text type="secondary">—</Typography.Text>);

  const semesterColumns = (semester: 1 | 2) => ({
    title: t(semester === 1 ? 'semester.1' : 'semester.2'),
    key: `s${semester}`,
    children: [
      {
        title: t('homeroom.conduct'),
        key: `s${semester}-conduct`,
        render: (_v: unknown, s: Student) => (
          <LevelSelect
            value={s.semesters[String(semester) as '1' | '2'].conduct}
            disabled={readOnly}
            label={`${s.fullName} — ${t('homeroom.conduct')} ${semester}`}
            testId={`conduct-${s.studentId}-${semester}`}
            onChange={(conduct) => void save(s, { semester, conduct })}
          />
        ),
      },
      // Absences are counted by the server from the daily attendance register: read-only here.
      ...(['absentExcused', 'absentUnexcused'] as const).map((field) => ({
        title: t(field === 'absentExcused' ? 'homeroom.absentExcused' : 'homeroom.absentUnexcused'),
        key: `s${semester}-${field}`,
        align: 'right' as const,
        render: (_v: unknown, s: Student) => (
          <span data-testid={`absences-${s.studentId}-${semester}-${field === 'absentExcused' ? 'excused' : 'unexcused'}`}>
            {s.semesters[String(semester) as '1' | '2'][field]}
          </span>
        ),
      })),
      {
        title: t('homeroom.learning'),
        key: `s${semester}-learning`,
        render: (_v: unknown, s: Student) => level(s.semesters[String(semester) as '1' | '2'].learning),
      },
    ],
  });

  const columns: ColumnsType<Student> = [
    { title: '#', key: 'index', width: 44, fixed: 'left', render: (_v, _s, i) => i + 1 },
    { title: t('students.fullName'), dataIndex: 'fullName', key: 'name', fixed: 'left', width: 190 },
    semesterColumns(1),
    semesterColumns(2),
    {
      title: t('homeroom.year'),
      key: 'year',
      children: [
        { title: t('homeroom.conduct'), key: 'y-conduct', render: (_v, s) => level(s.year.conduct) },
        { title: t('homeroom.learning'), key: 'y-learning', render: (_v, s) => level(s.year.learning) },
        { title: t('homeroom.absences'), key: 'y-absences', align: 'right', render: (_v, s) => s.year.absences },
        { title: t('homeroom.outcome'), key: 'y-outcome', render: (_v, s) => resultLabel(s.year.outcome, locale) || '—' },
        { title: t('homeroom.award'), key: 'y-award', render: (_v, s) => (s.year.award ? <Tag color="gold">{resultLabel(s.year.award, locale)}</Tag> : '—') },
        {
          title: t('homeroom.comment'),
          key: 'y-comment',
          render: (_v, s) => (
            <CommitOnBlurInput
              kind="text"
              value={s.year.comment}
              disabled={readOnly}
              label={`${s.fullName} — ${t('homeroom.comment')}`}
              onCommit={(comment) => void save(s, { comment })}
            />
          ),
        },
        {
          title: t('homeroom.missing'),
          key: 'y-missing',
          // The list can be long (every missing mark of every subject): a count, the list on demand.
          render: (_v, s) =>
            s.year.missing.length > 0 ? (
              <Popover
                title={`${s.fullName} — ${t('homeroom.missing')}`}
                content={<div style={{ maxWidth: 360, maxHeight: 300, overflow: 'auto' }}>{s.year.missing.join(', ')}</div>}
              >
                <Tag color="warning" style={{ cursor: 'help' }}>
                  {t('homeroom.missingCount', { count: s.year.missing.length })}
                </Tag>
              </Popover>
            ) : (
              <Tag color="success">{t('homeroom.complete')}</Tag>
            ),
        },
      ],
    },
  ];

  return (
    <Table<Student>
      data-testid="homeroom-students"
      rowKey="studentId"
      size="small"
      bordered
      dataSource={view.students}
      columns={columns}
      pagination={false}
      scroll={{ x: 'max-content' }}
    />
  );
}
