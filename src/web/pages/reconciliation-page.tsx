/**
 * Đối chiếu dữ liệu of one class: the reference extracts (CSDL ngành, VNeID), then per
 * student how each source matched and every field where the school and the sources disagree.
 */
import { useState } from 'react';
import { Alert, Button, Col, Flex, Progress, Row, Switch, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router';
import type { ReconciliationView } from '../../server/api-types.ts';
import { api } from '../api.ts';
import { ErrorResult } from '../components/error-result.tsx';
import { PageLoader } from '../components/page-loader.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { ReconciliationDifferences } from '../components/reconciliation-differences.tsx';
import { ReferenceExtractUpload } from '../components/reference-extract-upload.tsx';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSession } from '../session/session-context.tsx';
import { useApiData } from '../use-api-data.ts';

type Student = ReconciliationView['students'][number];
const SOURCES = ['csdl_nganh', 'vneid'] as const;
const MATCH_COLORS = { matched: 'green', none: 'red', several: 'orange', no_extract: 'default' } as const;

export function ReconciliationPage() {
  const { t } = useLocale();
  const { can } = useSession();
  const { classId = '' } = useParams();
  const view = useApiData(() => api.reconciliation(classId), [classId]);
  const [onlyOpen, setOnlyOpen] = useState(false);

  if (view.loading && !view.data) return <PageLoader />;
  if (view.error || !view.data) {
    const status = view.error?.status === 400 ? 404 : undefined;
    return <ErrorResult status={status} error={view.error} onRetry={view.reload} />;
  }
  const data = view.data;
  const canResolve = can('students.edit');
  const open = (s: Student) => s.differences.some((d) => !d.resolution);
  const students = onlyOpen ? data.students.filter(open) : data.students;
  const reconciled = data.students.filter((s) => s.reconciled).length;
  const percent = data.students.length ? Math.floor((1000 * reconciled) / data.students.length) / 10 : 100;

  return (
    <>
      <PageTitle
        testId="recon-heading"
        subtitle={t('recon.subtitle')}
        extra={
          <Link to={`/classes/${encodeURIComponent(classId)}`}>
            <Button icon={<ArrowLeftOutlined />}>{t('common.back')}</Button>
          </Link>
        }
      >
        {t('recon.title', { name: data.class.name })}
      </PageTitle>
      <Flex vertical gap={16}>
        <Row gutter={[16, 16]}>
          {SOURCES.map((source) => (
            <Col xs={24} md={12} key={source}>
              <ReferenceExtractUpload source={source} loaded={data.sources.find((s) => s.source === source)} canUpload={canResolve} onUploaded={view.reload} />
            </Col>
          ))}
        </Row>
        <Flex gap={16} align="center" wrap>
          <Typography.Text strong data-testid="recon-summary">
            {t('recon.summary', { reconciled, total: data.students.length })}
          </Typography.Text>
          <Progress percent={percent} size="small" style={{ width: 200, margin: 0 }} strokeColor="#722ed1" />
          <Flex gap={8} align="center">
            <Switch size="small" checked={onlyOpen} onChange={setOnlyOpen} />
            <Typography.Text>{t('recon.onlyOpen')}</Typography.Text>
          </Flex>
        </Flex>
        {data.sources.length === 0 && <Alert type="info" showIcon title={t('recon.noExtract')} />}
        <Table<Student>
          data-testid="recon-students"
          rowKey="studentId"
          size="small"
          dataSource={students}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('recon.empty') }}
          expandable={{
            rowExpandable: (s) => s.differences.length > 0,
            defaultExpandedRowKeys: data.students.filter(open).map((s) => s.studentId),
            expandedRowRender: (s) => <ReconciliationDifferences student={s} canResolve={canResolve} onResolved={view.reload} />,
          }}
          columns={[
            { title: '#', key: 'index', width: 44, render: (_v, _s, i) => i + 1 },
            {
              title: t('recon.student'),
              key: 'name',
              render: (_v, s) => <Link to={`/students/${encodeURIComponent(s.studentId)}`}>{s.fullName}</Link>,
            },
            ...SOURCES.map((source) => ({
              title: t(`recon.source.${source}`),
              key: source,
              render: (_v: unknown, s: Student) => {
                const m = s.matches[source];
                return (
                  <Tag color={MATCH_COLORS[m.status]} title={m.by ? t(`recon.by.${m.by}`) : undefined}>
                    {t(`recon.match.${m.status}`)}
                  </Tag>
                );
              },
            })),
            { title: t('recon.differences'), key: 'diffs', align: 'right' as const, render: (_v: unknown, s: Student) => s.differences.length },
            {
              title: '',
              key: 'reconciled',
              render: (_v: unknown, s: Student) =>
                s.reconciled ? <Tag color="purple">{t('recon.reconciled')}</Tag> : <Tag>{t('recon.notReconciled')}</Tag>,
            },
          ]}
        />
      </Flex>
    </>
  );
}
