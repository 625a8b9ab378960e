/**
 * "Kiểm tra chéo": department heads check the sheets assigned to them, teachers answer the
 * checks of their sheets, leadership sees the coverage and assigns a semester's checks.
 */
import { Card, Col, Row, Statistic, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import type { CrossCheckView } from '../../server/api-types.ts';
import { api } from '../api.ts';
import { CrossCheckActions } from '../components/cross-check-actions.tsx';
import { CrossCheckAssign } from '../components/cross-check-assign.tsx';
import { ErrorResult } from '../components/error-result.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { formatDateTime } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSession } from '../session/session-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { EmptyState } from '../help/empty-state.tsx';

const STATUS_COLOR = { assigned: 'blue', checked: 'green', issue_found: 'red', answered: 'purple' } as const;

export function CrossChecksPage() {
  const { t } = useLocale();
  const { can, session } = useSession();
  const result = useApiData(() => api.crossChecks(), [session?.activeSchoolId]);
  const assigns = can('crosscheck.assign');

  if (result.error) return <ErrorResult error={result.error} onRetry={result.reload} />;
  const coverage = result.data?.coverage;

  return (
    <>
      <PageTitle testId="cross-checks-heading" extra={assigns ? <CrossCheckAssign onAssigned={result.reload} /> : undefined}>
        {t('crossCheck.title')}
      </PageTitle>
      {assigns && coverage && (
        <Row gutter={[16, 16]} style={{ marginBottom: 16 }} data-testid="cross-check-coverage">
          <Col xs={8}>
            <Card size="small">
              <Statistic title={t('crossCheck.total')} value={coverage.total} />
            </Card>
          </Col>
          <Col xs={8}>
            <Card size="small">
              <Statistic title={t('crossCheck.checkedCount')} value={coverage.checked} suffix={coverage.total ? `/ ${coverage.total}` : undefined} />
            </Card>
          </Col>
          <Col xs={8}>
            <Card size="small">
              <Statistic title={t('crossCheck.issuesCount')} value={coverage.issues} />
            </Card>
          </Col>
        </Row>
      )}
      <Table<CrossCheckView>
        data-testid="cross-checks-table"
        rowKey="id"
        size="middle"
        loading={result.loading}
        dataSource={result.data?.checks ?? []}
        locale={{
          emptyText: (
            <EmptyState
              testId="cross-checks-empty"
              what={t('crossCheck.empty')}
              next={assigns ? t('empty.crossCheck.nextAssign', { button: t('crossCheck.assign') }) : t('empty.crossCheck.next')}
              help={assigns ? { page: 'hieu-truong', anchor: 'kiem-tra-cheo' } : { page: 'to-truong-chuyen-mon', anchor: 'kiem-tra-cheo' }}
            />
          ),
        }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('crossCheck.sheet'),
            key: 'sheet',
            render: (_v, c) => (
              <div>
                <strong>{c.subjectName}</strong> — {c.className}
                <div>
                  <Typography.Text type="secondary">
                    {t(c.semester === 1 ? 'semester.1' : 'semester.2')}
                    {c.teacher ? ` · ${c.teacher}` : ''}
                  </Typography.Text>
                </div>
              </div>
            ),
          },
          { title: t('crossCheck.reviewer'), dataIndex: 'reviewer', key: 'reviewer' },
          {
            title: t('changes.status'),
            key: 'status',
            render: (_v, c) => (
              <div>
                <Tag color={STATUS_COLOR[c.status]}>{t(`crossCheck.status.${c.status}`)}</Tag>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatDateTime(c.updatedAt)}
                  </Typography.Text>
                </div>
              </div>
            ),
          },
          {
            title: t('crossCheck.note'),
            key: 'note',
            render: (_v, c) => (
              <div style={{ maxWidth: 300, whiteSpace: 'normal' }}>
                {c.note ?? '—'}
                {c.answer && (
                  <div style={{ marginTop: 4 }}>
                    <Typography.Text type="secondary">{t('crossCheck.answer')}: </Typography.Text>
                    {c.answer}
                  </div>
                )}
              </div>
            ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_v, c) => (
              <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', alignItems: 'center' }}>
                <Link to={`/grade-sheets/${encodeURIComponent(c.classSubjectId)}/${c.semester}`}>{t('crossCheck.open')}</Link>
                <CrossCheckActions check={c} onDone={result.reload} />
              </div>
            ),
          },
        ]}
      />
    </>
  );
}
