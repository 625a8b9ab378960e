/**
 * "Tiến độ" (principal, vice principals, school admin): every stage × grade against the plan,
 * expandable to its classes and each class to the pending items with the person responsible
 * and a link to the record or sheet; certificate and data-quality problems; the chart of
 * progress against the plan; exports to Excel and a printable PDF.
 */
import { Alert, Button, Card, Col, Flex, List, Progress, Row, Statistic, Table, Typography } from 'antd';
import { DownloadOutlined, FilePdfOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import type { BoardClassCell, BoardStageRow } from '../../server/api-types.ts';
import { ErrorResult } from '../components/error-result.tsx';
import { PageLoader } from '../components/page-loader.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { formatDate } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSignedInSession } from '../session/session-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { planApi } from './plan-api.ts';
import { percent } from './plan-view.ts';
import { ProgressChart } from './progress-chart.tsx';
import { StatusTag } from './status-tag.tsx';

export function PlanBoardPage() {
  const { t, locale } = useLocale();
  const session = useSignedInSession();
  const data = useApiData(() => planApi.board(), [session.activeSchoolId]);
  if (data.loading && !data.data) return <PageLoader />;
  if (data.error || !data.data) return <ErrorResult error={data.error} onRetry={data.reload} />;
  const board = data.data;

  const pendingList = (c: BoardClassCell) => (
    <List
      size="small"
      data-testid="board-pending"
      dataSource={c.pending}
      footer={c.total - c.done > c.pending.length ? t('planBoard.morePending', { n: c.total - c.done - c.pending.length }) : undefined}
      renderItem={(p) => (
        <List.Item actions={p.link ? [<Link key="open" to={p.link}>{t('planBoard.openPage')}</Link>] : []}>
          <Flex gap={12} wrap>
            <Typography.Text strong>{p.who ?? '—'}</Typography.Text>
            <Typography.Text>{p.what}</Typography.Text>
          </Flex>
        </List.Item>
      )}
    />
  );

  const classTable = (r: BoardStageRow) => (
    <Table<BoardClassCell>
      size="small"
      rowKey="classId"
      pagination={false}
      dataSource={r.classes}
      expandable={{ expandedRowRender: pendingList, rowExpandable: (c) => c.pending.length > 0 }}
      columns={[
        { title: t('planBoard.class'), dataIndex: 'className', width: 100 },
        { title: t('planBoard.progress'), render: (_, c) => <Progress percent={percent(c.done, c.total)} size="small" status={c.status === 'overdue' ? 'exception' : c.status === 'done' ? 'success' : 'normal'} format={() => `${c.done}/${c.total}`} /> },
        { title: '', width: 260, render: (_, c) => (<Flex gap={4} align="center" wrap={false}><StatusTag status={c.status} />{c.daysOverdue > 0 && <Typography.Text type="danger">{t('planBoard.daysOverdue', { n: c.daysOverdue })}</Typography.Text>}</Flex>) },
      ]}
    />
  );

  return (
    <>
      <PageTitle
        testId="plan-board-heading"
        subtitle={t('planBoard.subtitle', { year: board.schoolYear ?? '', date: formatDate(board.today) })}
        extra={
          <Flex gap={8}>
            <Button icon={<DownloadOutlined />} href={planApi.boardXlsxUrl}>
              {t('planBoard.exportXlsx')}
            </Button>
            <Button icon={<FilePdfOutlined />} href={planApi.boardPdfUrl}>
              {t('planBoard.exportPdf')}
            </Button>
          </Flex>
        }
      >
        {t('planBoard.title')}
      </PageTitle>
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('planBoard.classesOverdue')} value={board.totals.overdue} valueStyle={{ color: board.totals.overdue ? '#cf1322' : undefined }} /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('planBoard.classesPending')} value={board.totals.pending} /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('planBoard.dataClean')} value={board.dataQuality.percentClean} suffix="%" /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('planBoard.certProblems')} value={board.certificates ? board.certificates.problems.length : '—'} valueStyle={{ color: board.certificates?.problems.length ? '#d46b08' : undefined }} /></Card></Col>
      </Row>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Table<BoardStageRow>
          data-testid="plan-board-table"
          size="small"
          rowKey={(r) => `${r.stage}-${r.grade}`}
          pagination={false}
          dataSource={board.rows}
          rowClassName={(r) => (r.status === 'overdue' ? 'hb-row-overdue' : '')}
          expandable={{ expandedRowRender: classTable }}
          columns={[
            { title: t('plan.stage'), render: (_, r) => r.label[locale] },
            { title: t('plan.grade'), dataIndex: 'grade', width: 60 },
            { title: t('plan.dueOn'), width: 110, render: (_, r) => formatDate(r.dueOn) },
            { title: t('planBoard.progress'), width: 220, render: (_, r) => <Progress percent={percent(r.done, r.total)} size="small" status={r.status === 'overdue' ? 'exception' : r.status === 'done' ? 'success' : 'normal'} format={() => `${r.done}/${r.total}`} /> },
            { title: '', width: 200, render: (_, r) => (<Flex gap={4} align="center"><StatusTag status={r.status} />{r.overdueClasses > 0 && <Typography.Text type="danger">{r.overdueClasses} {t('planBoard.class').toLowerCase()}</Typography.Text>}</Flex>) },
          ]}
        />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('planBoard.chart')}>
            <ProgressChart board={board} />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('planBoard.certificates')} extra={<Link to="/certificates">{t('planBoard.openPage')}</Link>} style={{ marginBottom: 16 }} data-testid="board-certificates">
            {!board.certificates && <Alert type="info" message={t('planBoard.certificatesUnknown')} />}
            {board.certificates && board.certificates.problems.length === 0 && <Alert type="success" message={t('planBoard.certificatesOk')} />}
            {board.certificates && board.certificates.problems.length > 0 && (
              <List size="small" dataSource={board.certificates.problems.slice(0, 8)} renderItem={(p) => (<List.Item><Typography.Text strong>{p.fullName}</Typography.Text>&nbsp;<Typography.Text type="secondary">{p.message ?? p.standing}</Typography.Text></List.Item>)} />
            )}
          </Card>
          <Card size="small" title={t('planBoard.dataQuality')} extra={<Link to="/data-quality">{t('planBoard.openPage')}</Link>}>
            <Typography.Text>{t('planBoard.dataQualityText', { clean: board.dataQuality.clean, students: board.dataQuality.students, pct: board.dataQuality.percentClean, reconciled: board.dataQuality.reconciled, rpct: board.dataQuality.percentReconciled })}</Typography.Text>
          </Card>
        </Col>
      </Row>
    </>
  );
}
