/** Per class: students, % clean and % reconciled, blocking problems and warnings; a row filters the problem list. */
import { Progress, Table } from 'antd';
import { Link } from 'react-router';
import type { QualityBoardView } from '../../server/api-types.ts';
import { useLocale } from '../i18n/locale-context.tsx';

type ClassRow = QualityBoardView['classes'][number];

export function QualityClassesTable({ classes, onPick }: { classes: ClassRow[]; onPick: (classId: string) => void }) {
  const { t } = useLocale();
  return (
    <Table<ClassRow>
      data-testid="quality-classes"
      rowKey="classId"
      size="small"
      dataSource={classes}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('quality.noClasses') }}
      onRow={(row) => ({ 'data-testid': `quality-class-${row.className}`, 'data-percent-clean': row.percentClean }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        {
          title: t('quality.class'),
          dataIndex: 'className',
          key: 'class',
          render: (name: string, row) => (
            <a onClick={() => onPick(row.classId)} role="button">
              {name}
            </a>
          ),
        },
        { title: t('quality.homeroom'), dataIndex: 'homeroomTeacher', key: 'teacher', responsive: ['md'], render: (v: string | null) => v ?? t('common.none') },
        { title: t('quality.students'), dataIndex: 'students', key: 'students', align: 'right' },
        {
          title: t('quality.clean'),
          key: 'clean',
          width: 180,
          sorter: (a, b) => a.percentClean - b.percentClean,
          render: (_v, row) => <Progress percent={row.percentClean} size="small" status={row.percentClean >= 100 ? 'success' : 'normal'} />,
        },
        {
          title: t('quality.reconciled'),
          key: 'reconciled',
          width: 180,
          render: (_v, row) => (
            <Link to={`/classes/${encodeURIComponent(row.classId)}/reconciliation`} title={t('students.reconcile')}>
              <Progress percent={row.percentReconciled ?? 0} size="small" strokeColor="#722ed1" />
            </Link>
          ),
        },
        { title: t('quality.blocking'), dataIndex: 'blocking', key: 'blocking', align: 'right', render: (n: number) => (n ? <b style={{ color: '#cf1322' }}>{n}</b> : 0) },
        { title: t('quality.warnings'), dataIndex: 'warnings', key: 'warnings', align: 'right', responsive: ['sm'], render: (n: number) => (n ? <span style={{ color: '#ad6800' }}>{n}</span> : 0) },
      ]}
    />
  );
}
