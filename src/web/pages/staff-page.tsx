/** Staff of the active school, with a search box over name, department, position and username. */
import { useMemo, useState } from 'react';
import { Input, Table, Tag } from 'antd';
import { api } from '../api.ts';
import type { StaffMember } from '../api-models.ts';
import { ErrorResult } from '../components/error-result.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { roleLabel } from '../i18n/index.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSignedInSession } from '../session/session-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { EmptyState } from '../help/empty-state.tsx';

/** Lower-case without Vietnamese diacritics, so "nguyen" finds "Nguyễn". */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
}

export function StaffPage() {
  const { t, locale } = useLocale();
  const session = useSignedInSession();
  const staff = useApiData(() => api.staff(), [session.activeSchoolId]);
  const [search, setSearch] = useState('');

  const rows = useMemo(() => {
    const all = staff.data?.staff ?? [];
    const needle = fold(search.trim());
    if (!needle) return all;
    return all.filter((m) =>
      fold([m.fullName, m.department, m.position, m.username].filter(Boolean).join(' ')).includes(needle),
    );
  }, [staff.data, search]);

  if (staff.error) return <ErrorResult error={staff.error} onRetry={staff.reload} />;

  return (
    <>
      <PageTitle testId="staff-heading">{t('staff.title')}</PageTitle>
      <Input.Search
        data-testid="staff-search"
        allowClear
        placeholder={t('staff.searchPlaceholder')}
        aria-label={t('common.search')}
        value={search}
        onChange={(event) => setSearch(event.target.value)}
        style={{ maxWidth: 420, marginBottom: 16 }}
      />
      <Table<StaffMember>
        data-testid="staff-table"
        rowKey="id"
        size="middle"
        loading={staff.loading}
        dataSource={rows}
        locale={{ emptyText: <EmptyState compact testId="staff-empty" what={t('staff.empty')} next={t('empty.staff.next')} /> }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('staff.fullName'),
            dataIndex: 'fullName',
            key: 'fullName',
            sorter: (a, b) => a.fullName.localeCompare(b.fullName, 'vi'),
          },
          { title: t('staff.department'), dataIndex: 'department', key: 'department', render: (v: string | null) => v ?? t('common.none') },
          { title: t('staff.position'), dataIndex: 'position', key: 'position', render: (v: string | null) => v ?? t('common.none') },
          {
            title: t('staff.username'),
            dataIndex: 'username',
            key: 'username',
            render: (v: string | null, row) => (
              <>
                {v ?? <Tag>{t('staff.noAccount')}</Tag>}
                {row.disabled && (
                  <Tag color="red" style={{ marginInlineStart: 8 }}>
                    {t('staff.disabled')}
                  </Tag>
                )}
              </>
            ),
          },
          {
            title: t('staff.roles'),
            dataIndex: 'roles',
            key: 'roles',
            render: (roles: string[]) =>
              roles.map((role) => (
                <Tag key={role} color="geekblue">
                  {roleLabel(role, locale)}
                </Tag>
              )),
          },
        ]}
      />
    </>
  );
}
