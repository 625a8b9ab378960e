/**
 * A class's records (the homeroom page's "Học bạ" tab): each student's record state from the
 * server, the viewer for any version, and — for those who may — the class export as a ZIP.
 */
import { useState } from 'react';
import { Button, Card, Flex, Table } from 'antd';
import { EyeOutlined, ReloadOutlined } from '@ant-design/icons';
import type { ClassRecordsView } from '../../server/api-types.ts';
import { ErrorResult } from '../components/error-result.tsx';
import { PageLoader } from '../components/page-loader.tsx';
import { useLocale } from '../i18n/locale-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { ExportPanel } from './export-panel.tsx';
import { RecordStateTag } from './record-state.tsx';
import { RecordViewer, type ViewedStudent } from './record-viewer.tsx';
import { recordsApi } from './records-api.ts';
import { EmptyState } from '../help/empty-state.tsx';

type Row = ClassRecordsView['students'][number];

export function ClassRecordsPanel({ classId }: { classId: string }) {
  const { t } = useLocale();
  const data = useApiData(() => recordsApi.classRecords(classId), [classId]);
  const [viewing, setViewing] = useState<ViewedStudent | null>(null);

  if (data.loading && !data.data) return <PageLoader />;
  if (data.error || !data.data) return <ErrorResult error={data.error} onRetry={data.reload} />;
  const view = data.data;
  return (
    <>
      {view.canExport && (
        <Card size="small" style={{ marginBottom: 12 }}>
          <ExportPanel scope="class" classId={classId} />
        </Card>
      )}
      <Flex justify="flex-end" style={{ marginBottom: 8 }}>
        <Button size="small" icon={<ReloadOutlined />} onClick={data.reload} loading={data.loading}>
          {t('records.reload')}
        </Button>
      </Flex>
      <Table<Row>
        data-testid="class-records-table"
        rowKey="studentId"
        size="middle"
        dataSource={view.students}
        locale={{ emptyText: <EmptyState compact testId="class-records-empty" what={t('records.empty')} next={t('empty.students.next', { button: t('import.button') })} help={{ page: 'can-bo-cntt', anchor: 'nhap-danh-sach' }} /> }}
        pagination={{ pageSize: 60, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: '#', key: 'index', width: 48, render: (_v, _r, i) => i + 1 },
          { title: t('students.fullName'), dataIndex: 'fullName', key: 'fullName' },
          { title: t('students.code'), dataIndex: 'studentCode', key: 'studentCode', render: (c: string | null) => c ?? '' },
          {
            title: t('records.column'),
            key: 'record',
            render: (_v, row) => <RecordStateTag record={row.record} testId={`record-state-${row.studentId}`} />,
          },
          {
            title: '',
            key: 'view',
            render: (_v, row) => <ViewRecordButton row={row} onView={setViewing} />,
          },
        ]}
      />
      <RecordViewer student={viewing} onClose={() => setViewing(null)} />
    </>
  );
}

/** Opens the viewer; nothing to open before the first version. */
export function ViewRecordButton({ row, onView }: { row: { studentId: string; fullName: string; record: { versionCount: number } }; onView: (s: ViewedStudent) => void }) {
  const { t } = useLocale();
  return (
    <Button
      size="small"
      icon={<EyeOutlined />}
      disabled={row.record.versionCount === 0}
      onClick={() => onView({ studentId: row.studentId, fullName: row.fullName })}
      data-testid={`record-view-${row.studentId}`}
    >
      {t('records.view')}
    </Button>
  );
}
