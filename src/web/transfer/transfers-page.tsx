/**
 * "Chuyển trường" (`/transfers`): receiving a package (principal, clerk, school
 * administrator: transfers.import) with the list of packages received and their
 * acknowledgments; exporting one for a leaving student and recording the acknowledgment
 * (principal, clerk: transfers.export).
 */
import { Card, Col, Row, Table } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import type { TransferInView } from '../../server/api-types.ts';
import { PageTitle } from '../components/page-title.tsx';
import { formatDateTime } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSession } from '../session/session-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { ExportCard, ExportedCard } from './export-card.tsx';
import { ImportCard } from './import-card.tsx';
import { transferApi } from './transfer-api.ts';

export function TransfersPage() {
  const { t } = useLocale();
  const { can } = useSession();
  const canImport = can('transfers.import');
  const canExport = can('transfers.export');
  const imported = useApiData(() => (canImport ? transferApi.imported() : Promise.resolve({ transfers: [] })), [canImport]);
  const exported = useApiData(() => (canExport ? transferApi.exported() : Promise.resolve({ transfers: [] })), [canExport]);
  return (
    <>
      <PageTitle testId="transfers-heading" subtitle={t('transfers.subtitle')}>
        {t('transfers.title')}
      </PageTitle>
      <Row gutter={[16, 16]}>
        {canImport && (
          <Col xs={24} xl={12}>
            <ImportCard onImported={imported.reload} />
            <Card size="small" title={t('transfers.import.list')} style={{ marginTop: 16 }}>
              <Table<TransferInView>
                data-testid="transfer-import-table"
                rowKey="id"
                size="small"
                loading={imported.loading && !imported.data}
                dataSource={imported.data?.transfers ?? []}
                locale={{ emptyText: t('transfers.import.none') }}
                pagination={{ pageSize: 20, hideOnSinglePage: true }}
                scroll={{ x: 'max-content' }}
                columns={[
                  { title: t('transfers.col.student'), key: 'student', render: (_v, r) => <Link to={`/students/${encodeURIComponent(r.studentId)}`}>{r.studentName}</Link> },
                  { title: t('transfers.col.from'), dataIndex: 'sendingSchool', key: 'from' },
                  { title: t('transfers.col.when'), dataIndex: 'importedAt', key: 'when', render: (v: string) => formatDateTime(v) },
                  { title: t('transfers.col.records'), dataIndex: 'recordCount', key: 'records', align: 'right' },
                  {
                    title: '',
                    key: 'ack',
                    render: (_v, r) => (
                      <a href={transferApi.ackUrl(r.id)} download>
                        <DownloadOutlined /> XML
                      </a>
                    ),
                  },
                ]}
              />
            </Card>
          </Col>
        )}
        {canExport && (
          <Col xs={24} xl={12}>
            <ExportCard onExported={exported.reload} />
          </Col>
        )}
        {canExport && (
          <Col xs={24}>
            <ExportedCard transfers={exported.data?.transfers ?? []} loading={exported.loading && !exported.data} onChanged={exported.reload} />
          </Col>
        )}
      </Row>
    </>
  );
}
