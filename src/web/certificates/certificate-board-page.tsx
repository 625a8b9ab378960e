/**
 * "Chứng thư số" board (principal, vice principals, school administrator): every signer of the
 * school year and the seal, with their duty, deadline and how their certificate stands. Counts
 * double as filters; search by name. A table on wide screens, a card list on phones.
 */
import { useMemo, useState, type HTMLAttributes } from 'react';
import { Alert, Card, Empty, Flex, Grid, Input, List, Table, Tag, Typography } from 'antd';
import type { CertificateBoardRow, CertificateStanding } from '../../server/api-types.ts';
import { ErrorResult } from '../components/error-result.tsx';
import { PageLoader } from '../components/page-loader.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { formatDate } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSignedInSession } from '../session/session-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { ExpiryText, StandingTag } from './certificate-details.tsx';
import { STANDINGS, STANDING_COLOR, dutyKey, nameMatches, standingKey } from './certificate-view.ts';
import { certificatesApi } from './certificates-api.ts';

export function CertificateBoardPage() {
  const { t } = useLocale();
  const session = useSignedInSession();
  const screens = Grid.useBreakpoint();
  const data = useApiData(() => certificatesApi.board(), [session.activeSchoolId]);
  const [filter, setFilter] = useState<CertificateStanding | 'all'>('all');
  const [query, setQuery] = useState('');

  // The seal first: one row the whole school depends on, easy to miss at the end of a long list.
  const rows = useMemo(
    () => [...(data.data?.rows ?? [])].sort((a, b) => Number(b.kind === 'seal') - Number(a.kind === 'seal')).filter((row) => (filter === 'all' || row.standing === filter) && nameMatches(row.kind === 'seal' ? `${row.fullName} ${t('board.seal')}` : row.fullName, query)),
    [data.data, filter, query, t],
  );

  if (data.loading && !data.data) return <PageLoader />;
  if (data.error || !data.data) return <ErrorResult error={data.error} onRetry={data.reload} />;
  const board = data.data;

  const name = (row: CertificateBoardRow) => (
    <Flex vertical gap={0}>
      <Typography.Text strong>{row.kind === 'seal' ? `${t('board.seal')} — ${row.fullName}` : row.fullName}</Typography.Text>
      {row.username && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{row.username}</Typography.Text>}
    </Flex>
  );
  const duties = (row: CertificateBoardRow) => (
    <Flex gap={4} wrap>
      {row.duties.map((duty) => {
        const key = dutyKey(duty);
        return <Tag key={duty}>{key ? t(key) : duty}</Tag>;
      })}
    </Flex>
  );
  const standing = (row: CertificateBoardRow) => (
    <Flex vertical gap={2} align="flex-start">
      <StandingTag standing={row.standing} />
      {row.message && row.standing !== 'none' && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {row.message}
        </Typography.Text>
      )}
    </Flex>
  );
  const key = (row: CertificateBoardRow) => row.userId ?? `seal:${row.fullName}`;

  const counts = (
    <Flex gap={6} wrap data-testid="board-filters">
      <Tag.CheckableTag checked={filter === 'all'} onChange={() => setFilter('all')} data-testid="board-filter-all">
        {t('board.all')} ({board.rows.length})
      </Tag.CheckableTag>
      {STANDINGS.filter((s) => board.counts[s] > 0).map((s) => (
        <Tag.CheckableTag key={s} checked={filter === s} onChange={(on) => setFilter(on ? s : 'all')} data-testid={`board-filter-${s}`} data-count={board.counts[s]}>
          <span style={{ color: filter === s ? undefined : colorOf(s) }}>
            {t(standingKey(s))} ({board.counts[s]})
          </span>
        </Tag.CheckableTag>
      ))}
    </Flex>
  );

  return (
    <>
      <PageTitle testId="board-heading">{t('board.title')}</PageTitle>
      <Flex vertical gap={12}>
        {board.schoolYear ? <Typography.Text type="secondary">{t('board.hint', { year: board.schoolYear })}</Typography.Text> : <Alert type="warning" showIcon title={t('board.noYear')} />}
        {counts}
        <Input.Search allowClear placeholder={t('board.searchPlaceholder')} value={query} onChange={(e) => setQuery(e.target.value)} style={{ maxWidth: 360 }} data-testid="board-search" />
        {screens.md ? (
          <Table<CertificateBoardRow>
            data-testid="board-table"
            size="small"
            rowKey={key}
            dataSource={rows}
            pagination={rows.length > 200 ? { pageSize: 200, showSizeChanger: false } : false}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('board.empty')} /> }}
            onRow={(row) => ({ 'data-standing': row.standing } as HTMLAttributes<HTMLElement>)}
            columns={[
              { key: 'name', title: t('board.name'), render: (_, row) => name(row), sorter: (a, b) => a.fullName.localeCompare(b.fullName, 'vi') },
              { key: 'duties', title: t('board.duties'), render: (_, row) => duties(row) },
              { key: 'deadline', title: t('board.deadline'), render: (_, row) => formatDate(row.deadline), sorter: (a, b) => a.deadline.localeCompare(b.deadline), width: 110 },
              { key: 'standing', title: t('board.standing'), render: (_, row) => standing(row), width: 260 },
              { key: 'notAfter', title: t('board.validTo'), render: (_, row) => (row.certificate ? <ExpiryText notAfter={row.certificate.notAfter} /> : '—'), width: 200 },
            ]}
          />
        ) : (
          <List
            data-testid="board-list"
            dataSource={rows}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('board.empty')} /> }}
            renderItem={(row) => (
              <Card key={key(row)} size="small" style={{ marginBottom: 8 }} data-standing={row.standing}>
                <Flex vertical gap={6}>
                  <Flex justify="space-between" align="flex-start" gap={8}>
                    {name(row)}
                    <StandingTag standing={row.standing} />
                  </Flex>
                  {duties(row)}
                  <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                    {t('board.deadline')}: {formatDate(row.deadline)}
                    {row.certificate && (
                      <>
                        {' · '}
                        {t('board.validTo')}: <ExpiryText notAfter={row.certificate.notAfter} />
                      </>
                    )}
                  </Typography.Text>
                  {row.message && row.standing !== 'none' && row.standing !== 'valid' && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {row.message}
                    </Typography.Text>
                  )}
                </Flex>
              </Card>
            )}
          />
        )}
      </Flex>
    </>
  );
}

// CheckableTag has no colour prop: tint the label like the standing's tag.
const PALETTE: Record<string, string | undefined> = { green: '#389e0d', orange: '#d46b08', red: '#cf1322', gold: '#d48806', default: undefined };
function colorOf(standing: CertificateStanding): string | undefined {
  return PALETTE[STANDING_COLOR[standing]];
}
