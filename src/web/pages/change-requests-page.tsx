/**
 * Change requests for locked grade sheets. The principal (changes.decide) sees the school's
 * and decides; a teacher sees their own and how they were decided.
 */
import { useState, type HTMLAttributes } from 'react';
import { Table, Tabs, Tag, Typography } from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import type { ChangeRequestView } from '../../server/api-types.ts';
import { api } from '../api.ts';
import { ChangeRequestDecision } from '../components/change-request-decision.tsx';
import { ChangeValue } from '../components/change-value.tsx';
import { ErrorResult } from '../components/error-result.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { formatDateTime } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSession } from '../session/session-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { EmptyState } from '../help/empty-state.tsx';

type Tab = 'pending' | 'approved' | 'rejected' | 'all';
const STATUS_COLOR = { pending: 'gold', approved: 'green', rejected: 'red' } as const;

export function ChangeRequestsPage() {
  const { t } = useLocale();
  const { can, session } = useSession();
  const decides = can('changes.decide');
  const [tab, setTab] = useState<Tab>(decides ? 'pending' : 'all');
  const result = useApiData(() => api.changeRequests(tab), [tab, session?.activeSchoolId]);

  const table = (
    <Table<ChangeRequestView>
      data-testid="change-requests-table"
      rowKey="id"
      size="middle"
      loading={result.loading}
      dataSource={result.data?.requests ?? []}
      locale={{
        emptyText: (
          <EmptyState
            testId="change-requests-empty"
            what={t('changes.empty')}
            next={decides ? t('empty.changes.nextDecider') : t('empty.changes.nextTeacher', { menu: t('nav.myClasses'), button: t('grades.requestChange') })}
            action={!decides && can('grades.enter') ? { label: t('empty.changes.action'), to: '/my-classes' } : null}
            help={decides ? { page: 'hieu-truong', anchor: 'duyet-sua-diem' } : { page: 'giao-vien-bo-mon', anchor: 'de-nghi-sua-diem' }}
          />
        ),
      }}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      scroll={{ x: 'max-content' }}
      onRow={(row) => ({ 'data-testid': `change-request-${row.id}` }) as HTMLAttributes<HTMLElement>}
      columns={[
        {
          title: t('changes.sheet'),
          key: 'sheet',
          render: (_v, r) => (
            <div>
              <div>
                <strong>{r.subjectName}</strong> — {r.className}
              </div>
              <Typography.Text type="secondary">{t(r.semester === 1 ? 'semester.1' : 'semester.2')}</Typography.Text>
            </div>
          ),
        },
        {
          title: t('changes.changes'),
          key: 'changes',
          render: (_v, r) =>
            r.kind === 'unlock' ? (
              <Tag color="purple">{t('changes.unlock')}</Tag>
            ) : (
              <ul style={{ margin: 0, paddingLeft: 16 }}>
                {r.changes.map((c, i) => (
                  <li key={i}>
                    {c.studentName} — {c.column}: <ChangeValue old={c.old} next={c.new} />
                  </li>
                ))}
              </ul>
            ),
        },
        {
          title: t('changes.reason'),
          key: 'reason',
          render: (_v, r) => (
            <div style={{ maxWidth: 320, whiteSpace: 'normal' }}>
              <div data-testid="change-request-reason-text">{r.reason}</div>
              {r.attachment && (
                <a href={api.fileUrl(r.attachment.id)} target="_blank" rel="noreferrer">
                  <PaperClipOutlined /> {r.attachment.name}
                </a>
              )}
            </div>
          ),
        },
        {
          title: t('changes.requestedBy'),
          key: 'requestedBy',
          render: (_v, r) => (
            <div>
              <div>{r.requestedBy}</div>
              <Typography.Text type="secondary">{formatDateTime(r.requestedAt)}</Typography.Text>
            </div>
          ),
        },
        {
          title: t('changes.decision'),
          key: 'decision',
          render: (_v, r) =>
            r.status === 'pending' && decides ? (
              <ChangeRequestDecision request={r} onDecided={result.reload} />
            ) : (
              <div style={{ maxWidth: 260, whiteSpace: 'normal' }}>
                <Tag color={STATUS_COLOR[r.status]} data-testid="change-request-status">
                  {t(`changes.status.${r.status}`)}
                </Tag>
                {r.decidedBy && (
                  <div>
                    <Typography.Text type="secondary">
                      {r.decidedBy}, {formatDateTime(r.decidedAt)}
                    </Typography.Text>
                  </div>
                )}
                {r.decisionNote && <div>{r.decisionNote}</div>}
              </div>
            ),
        },
        {
          title: '',
          key: 'open',
          render: (_v, r) => <SheetLink request={r} />,
        },
      ]}
    />
  );

  return (
    <>
      <PageTitle testId="change-requests-heading">{t(decides ? 'changes.title' : 'changes.myTitle')}</PageTitle>
      {result.error ? (
        <ErrorResult error={result.error} onRetry={result.reload} />
      ) : (
        <Tabs
          activeKey={tab}
          onChange={(key) => setTab(key as Tab)}
          items={(['pending', 'approved', 'rejected', 'all'] as const).map((key) => ({
            key,
            label: <span data-testid={`changes-tab-${key}`}>{t(`changes.tab.${key}`)}</span>,
            children: key === tab ? table : null,
          }))}
        />
      )}
    </>
  );
}

/** The request names its sheet by id only; the sheet page needs the class-subject and semester. */
function SheetLink({ request }: { request: ChangeRequestView }) {
  const { t } = useLocale();
  const target = request.classSubjectId;
  if (!target) return null;
  return <Link to={`/grade-sheets/${encodeURIComponent(target)}/${request.semester}`}>{t('crossCheck.open')}</Link>;
}
