/** One school seen from the province: its records by state and each plan stage by grade (aggregates only). */
import { Button, Card, Col, Descriptions, Flex, Progress, Row, Table, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router';
import type { ProvinceBoardStage } from '../../server/api-types.ts';
import { ErrorResult } from '../components/error-result.tsx';
import { PageLoader } from '../components/page-loader.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { formatDate, formatDateTime } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { percent } from '../plan/plan-view.ts';
import { StatusTag } from '../plan/status-tag.tsx';
import { useApiData } from '../use-api-data.ts';
import { provinceApi } from './province-api.ts';
import { StateTags } from './province-board-page.tsx';

export function ProvinceSchoolPage() {
  const { t, locale } = useLocale();
  const { schoolId = '' } = useParams();
  const data = useApiData(() => provinceApi.schoolBoard(schoolId), [schoolId]);
  if (data.loading && !data.data) return <PageLoader />;
  if (data.error || !data.data?.school) return <ErrorResult error={data.error} status={data.data && !data.data.school ? 404 : undefined} onRetry={data.reload} />;
  const s = data.data.school;
  type GradeRow = NonNullable<ProvinceBoardStage['grades']>[number] & { key: string; stage: ProvinceBoardStage };
  const rows: GradeRow[] = s.stages.flatMap((st) => (st.grades ?? []).map((g) => ({ ...g, key: `${st.stage}-${g.grade}`, stage: st })));

  return (
    <>
      <PageTitle
        testId="province-school-heading"
        subtitle={[s.code, s.commune, s.schoolYear].filter(Boolean).join(' · ')}
        extra={
          <Link to="/province/board">
            <Button icon={<ArrowLeftOutlined />}>{t('province.school.back')}</Button>
          </Link>
        }
      >
        {s.name}
      </PageTitle>
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('province.board.states')}>
            <Typography.Paragraph>
              {t('province.board.students')}: <b>{new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB').format(s.students)}</b>
            </Typography.Paragraph>
            <StateTags states={s.states} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={`${t('province.board.sync')} · ${t('province.board.certificates')}`}>
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t('province.board.sync')}>
                {s.sync.lastRunAt ? `${formatDateTime(s.sync.lastRunAt)} — ${t('province.board.syncCounts', { accepted: s.sync.accepted, rejected: s.sync.rejected })}` : t('province.board.syncNever')}
              </Descriptions.Item>
              <Descriptions.Item label={t('province.board.certificates')}>
                {t('province.board.certCounts', { expired: s.certificates.expired, expiring: s.certificates.expiring, revoked: s.certificates.revoked })}
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('province.school.stages')}>
        <Table<GradeRow>
          data-testid="province-school-stages"
          size="small"
          rowKey="key"
          pagination={false}
          dataSource={rows}
          columns={[
            { title: t('plan.stage'), key: 'stage', render: (_, r) => r.stage.label[locale === 'vi' ? 'vi' : 'en'] },
            { title: t('plan.grade'), dataIndex: 'grade', width: 80, render: (g: number) => t('province.school.grade', { grade: g }) },
            { title: t('province.school.dueOn'), dataIndex: 'dueOn', width: 120, render: (d: string) => formatDate(d) },
            { title: t('planBoard.progress'), key: 'progress', render: (_, r) => <Progress percent={percent(r.done, r.total)} size="small" status={r.status === 'overdue' ? 'exception' : r.status === 'done' ? 'success' : 'normal'} format={() => `${r.done}/${r.total}`} /> },
            { title: '', key: 'status', width: 250, render: (_, r) => <Flex gap={4} align="center" wrap={false}><StatusTag status={r.status} />{r.daysOverdue > 0 && <Typography.Text type="danger">{t('planBoard.daysOverdue', { n: r.daysOverdue })}</Typography.Text>}</Flex> },
          ]}
        />
      </Card>
    </>
  );
}
