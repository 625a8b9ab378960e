/**
 * "Tiến độ toàn tỉnh" (province officer): every school of the province with its records by
 * state, where it stands against its plan, its sync to the sector database and its
 * certificate problems, with the province totals; a school opens its aggregate drill-down.
 * Aggregates only: the API never sends a student's name, marks or id.
 */
import { Button, Card, Col, Empty, Flex, Row, Statistic, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import type { ProvinceBoardSchool, ProvinceBoardState } from '../../server/api-types.ts';
import { ErrorResult } from '../components/error-result.tsx';
import { PageLoader } from '../components/page-loader.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { formatDate, formatDateTime } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { provinceApi } from './province-api.ts';

export const BOARD_STATES: ProvinceBoardState[] = ['frozen', 'subjects_signed', 'homeroom_signed', 'approved', 'sealed', 'returned', 'superseded'];

/** The non-zero record states of a school as small tags. */
export function StateTags({ states }: { states: Record<ProvinceBoardState, number> }) {
  const { t } = useLocale();
  const shown = BOARD_STATES.filter((s) => states[s] > 0);
  if (!shown.length) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Flex gap={4} wrap>
      {shown.map((s) => (
        <Tag key={s} color={s === 'sealed' ? 'green' : s === 'returned' ? 'red' : s === 'superseded' ? 'default' : 'blue'} data-state={s}>
          {t(`province.state.${s}`)}: {states[s]}
        </Tag>
      ))}
    </Flex>
  );
}

export function ProvinceBoardPage() {
  const { t, locale } = useLocale();
  const data = useApiData(() => provinceApi.board(), []);
  if (data.loading && !data.data) return <PageLoader />;
  if (data.error || !data.data) return <ErrorResult error={data.error} onRetry={data.reload} />;
  const board = data.data;
  const tot = board.totals;
  const certProblems = tot.certificates.expired + tot.certificates.expiring + tot.certificates.revoked;
  const nf = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB');

  return (
    <>
      <PageTitle
        testId="province-board-heading"
        subtitle={t('province.board.subtitle', { day: formatDate(board.today) })}
        extra={
          <Button icon={<DownloadOutlined />} href={provinceApi.boardXlsxUrl} data-testid="province-board-xlsx">
            {t('province.board.xlsx')}
          </Button>
        }
      >
        {t('province.board.title', { province: board.province.name })}
      </PageTitle>
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        {[
          ['schools', t('province.board.schools'), tot.schools, undefined],
          ['late', t('province.board.lateSchools'), tot.lateSchools, tot.lateSchools ? '#cf1322' : undefined],
          ['students', t('province.board.students'), tot.students, undefined],
          ['sealed', t('province.board.sealed'), tot.states.sealed, '#389e0d'],
          ['synced', t('province.board.syncAccepted'), tot.sync.accepted, undefined],
          ['certs', t('province.board.certProblems'), certProblems, certProblems ? '#d46b08' : undefined],
        ].map(([key, title, value, color]) => (
          <Col key={key as string} xs={12} md={8} lg={4}>
            <Card size="small">
              <Statistic title={title as string} value={nf.format(value as number)} styles={color ? { content: { color: color as string } } : undefined} data-testid={`province-total-${key as string}`} />
            </Card>
          </Col>
        ))}
      </Row>
      {board.schools.length === 0 ? (
        <Empty description={t('province.board.empty')} />
      ) : (
        <Table<ProvinceBoardSchool>
          data-testid="province-board-table"
          rowKey="schoolId"
          size="middle"
          pagination={board.schools.length > 50 ? { pageSize: 50 } : false}
          scroll={{ x: 1000 }}
          dataSource={board.schools}
          columns={[
            {
              title: t('province.board.school'),
              key: 'school',
              sorter: (a, b) => a.name.localeCompare(b.name, 'vi'),
              render: (_, s) => (
                <Flex vertical>
                  <Link to={`/province/board/${s.schoolId}`} data-testid="province-school-link">{s.name}</Link>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{[s.code, s.commune].filter(Boolean).join(' · ')}</Typography.Text>
                </Flex>
              ),
            },
            { title: t('province.board.students'), dataIndex: 'students', align: 'right', width: 90, sorter: (a, b) => a.students - b.students, render: (n: number) => nf.format(n) },
            { title: t('province.board.states'), key: 'states', render: (_, s) => <StateTags states={s.states} /> },
            {
              title: t('province.board.plan'),
              key: 'plan',
              width: 170,
              sorter: (a, b) => a.lateStages - b.lateStages,
              render: (_, s) =>
                s.lateStages > 0 ? <Tag color="error" data-testid="province-late">{t('province.board.lateStages', { n: s.lateStages })}</Tag> : <Tag color="success">{t('province.board.onTime')}</Tag>,
            },
            {
              title: t('province.board.sync'),
              key: 'sync',
              width: 200,
              render: (_, s) =>
                s.sync.lastRunAt ? (
                  <Flex vertical>
                    <Typography.Text style={{ fontSize: 12 }}>{formatDateTime(s.sync.lastRunAt)}</Typography.Text>
                    <Typography.Text type={s.sync.rejected ? 'danger' : undefined}>{t('province.board.syncCounts', { accepted: s.sync.accepted, rejected: s.sync.rejected })}</Typography.Text>
                  </Flex>
                ) : (
                  <Typography.Text type="secondary">{t('province.board.syncNever')}</Typography.Text>
                ),
            },
            {
              title: t('province.board.certificates'),
              key: 'certs',
              width: 230,
              render: (_, s) => {
                const c = s.certificates;
                return c.expired + c.expiring + c.revoked ? (
                  <Typography.Text type="warning">{t('province.board.certCounts', { expired: c.expired, expiring: c.expiring, revoked: c.revoked })}</Typography.Text>
                ) : (
                  <Typography.Text type="secondary">{t('province.board.certNone')}</Typography.Text>
                );
              },
            },
          ]}
        />
      )}
    </>
  );
}
