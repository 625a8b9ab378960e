/**
 * Sổ điểm danh: one day of the class register, morning and afternoon. Changes stay on the
 * page until "Lưu" sends the whole day (the server saves all of it or nothing, and refuses
 * dates outside the school year or in the future). Read-only for leadership.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Button, DatePicker, Flex, Table, Typography } from 'antd';
import { SaveOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import type { AttendanceDay } from '../../server/api-types.ts';
import { api, isApiError, type ApiError } from '../api.ts';
import type { AttendanceStatus } from '../api-models.ts';
import { formatDate } from '../format.ts';
import { moveActive } from '../grade-book/grid-navigation.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { vietnamToday } from '../students/vietnam-time.ts';
import { useApiData } from '../use-api-data.ts';
import { AttendanceCell } from './attendance-cell.tsx';

type Student = AttendanceDay['students'][number];
type Session = '1' | '2';
const SESSIONS: Session[] = ['1', '2'];
const key = (studentId: string, session: Session) => `${studentId}|${session}`;

interface AttendanceRegisterProps {
  classId: string;
  /** Called after a successful save (the homeroom view's absence counts change). */
  onSaved: () => void;
}

export function AttendanceRegister({ classId, onSaved }: AttendanceRegisterProps) {
  const { t } = useLocale();
  const { message, modal } = App.useApp();
  const [date, setDate] = useState(vietnamToday());
  const day = useApiData(() => api.attendanceDay(classId, date), [classId, date]);
  const year = useApiData(() => api.schoolYear(), []);
  const [changes, setChanges] = useState<Map<string, AttendanceStatus>>(new Map());
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const cells = useRef(new Map<string, HTMLButtonElement>());

  useEffect(() => {
    setChanges(new Map());
    setSaveError(null);
  }, [day.data]);

  const data = day.data;
  const status = (s: Student, session: Session): AttendanceStatus => changes.get(key(s.studentId, session)) ?? s.sessions[session];
  const setStatus = (s: Student, session: Session, value: AttendanceStatus) =>
    setChanges((before) => {
      const next = new Map(before);
      if (value === s.sessions[session]) next.delete(key(s.studentId, session));
      else next.set(key(s.studentId, session), value);
      return next;
    });
  const move = (row: number, col: number, direction: 'up' | 'down' | 'left' | 'right') => {
    if (!data) return;
    const to = moveActive({ row, col }, direction, data.students.length, 2);
    cells.current.get(`${to.row}-${to.col}`)?.focus();
  };

  const absent = useMemo(() => {
    const count = (session: Session) => (data?.students ?? []).filter((s) => status(s, session) !== 'present').length;
    return { morning: count('1'), afternoon: count('2') };
  }, [data, changes]);

  const pickDate = (value: Dayjs | null) => {
    if (!value) return;
    const next = value.format('YYYY-MM-DD');
    if (changes.size === 0) return setDate(next);
    modal.confirm({
      title: t('attendance.changeDateTitle'),
      content: t('attendance.changeDate', { count: changes.size }),
      okText: t('attendance.discard'),
      cancelText: t('common.cancel'),
      onOk: () => setDate(next),
    });
  };

  const save = async () => {
    if (!data) return;
    setSaving(true);
    setSaveError(null);
    try {
      await api.saveAttendance(classId, {
        date,
        entries: data.students.flatMap((s) => SESSIONS.map((session) => ({ studentId: s.studentId, session: Number(session) as 1 | 2, status: status(s, session) }))),
      });
      void message.success(t('attendance.saved', { date: formatDate(date) }));
      day.reload();
      onSaved();
    } catch (error) {
      setSaveError(isApiError(error) ? error : null);
      if (!isApiError(error)) void message.error(String(error));
    } finally {
      setSaving(false);
    }
  };

  const y = year.data;
  const outside = y && (date < y.startsOn || date > y.endsOn);
  const canEdit = data?.canEdit ?? false;

  return (
    <Flex vertical gap={12}>
      <Flex wrap gap={12} align="center" justify="space-between">
        <Flex wrap gap={8} align="center">
          <Typography.Text strong>{t('attendance.date')}</Typography.Text>
          <DatePicker
            data-testid="attendance-date"
            value={dayjs(date)}
            format="DD/MM/YYYY"
            allowClear={false}
            onChange={pickDate}
            disabledDate={(d) => d.format('YYYY-MM-DD') > vietnamToday()}
          />
        </Flex>
        {canEdit && (
          <Flex wrap gap={8} align="center">
            <Typography.Text type={changes.size ? 'warning' : 'secondary'} data-testid="attendance-unsaved">
              {changes.size ? t('attendance.unsaved', { count: changes.size }) : t('attendance.allSaved')}
            </Typography.Text>
            <Button disabled={!changes.size || saving} onClick={() => setChanges(new Map())} data-testid="attendance-discard">
              {t('attendance.discard')}
            </Button>
            <Button type="primary" icon={<SaveOutlined />} loading={saving} disabled={!data} onClick={() => void save()} data-testid="attendance-save">
              {t('attendance.save')}
            </Button>
          </Flex>
        )}
      </Flex>
      {!canEdit && data && <Alert type="info" showIcon title={t('attendance.readOnly')} />}
      {outside && y && (
        <Alert
          type="warning"
          showIcon
          data-testid="attendance-outside-year"
          title={t('attendance.outsideYear', { date: formatDate(date), year: y.schoolYear, from: formatDate(y.startsOn), to: formatDate(y.endsOn) })}
        />
      )}
      {saveError && (
        <Alert
          type="error"
          showIcon
          closable
          onClose={() => setSaveError(null)}
          data-testid="attendance-error"
          title={t('attendance.saveFailed')}
          description={saveError.details?.length ? saveError.details.map((d) => d.message).join(' ') : saveError.message}
        />
      )}
      {day.error && <Alert type="error" showIcon title={day.error.message} />}
      {canEdit && <Typography.Text type="secondary">{t('attendance.hint')}</Typography.Text>}
      <Typography.Text data-testid="attendance-summary">{t('attendance.summary', absent)}</Typography.Text>
      <Table<Student>
        data-testid="attendance-table"
        rowKey="studentId"
        size="small"
        bordered
        loading={day.loading}
        dataSource={data?.students ?? []}
        pagination={false}
        locale={{ emptyText: t('attendance.empty') }}
        scroll={{ x: 'max-content' }}
        style={{ maxWidth: 760 }}
        columns={[
          { title: '#', key: 'index', width: 44, responsive: ['sm'], render: (_v, _s, i) => i + 1 },
          { title: t('students.fullName'), dataIndex: 'fullName', key: 'name' },
          ...SESSIONS.map((session, col) => ({
            title: t(session === '1' ? 'attendance.morning' : 'attendance.afternoon'),
            key: `s${session}`,
            align: 'center' as const,
            width: 96,
            render: (_v: unknown, s: Student, row: number) => (
              <span ref={(el) => void (el?.firstElementChild ? cells.current.set(`${row}-${col}`, el.firstElementChild as HTMLButtonElement) : cells.current.delete(`${row}-${col}`))}>
                <AttendanceCell
                  status={status(s, session)}
                  changed={changes.has(key(s.studentId, session))}
                  disabled={!canEdit}
                  label={`${s.fullName} — ${t(session === '1' ? 'attendance.morning' : 'attendance.afternoon')}`}
                  testId={`attendance-${s.studentId}-${session}`}
                  onChange={(value) => setStatus(s, session, value)}
                  onMove={(direction) => move(row, col, direction)}
                />
              </span>
            ),
          })),
        ]}
      />
    </Flex>
  );
}
