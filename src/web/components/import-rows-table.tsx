/**
 * Every row of the preview: what committing would do, the mapped values with the flagged
 * cells highlighted, and each problem spelled out (row, column, value, rule).
 */
import { useState } from 'react';
import { Flex, Switch, Table, Tag, Typography } from 'antd';
import type { ImportPreview, StudentFieldName } from '../../server/api-types.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { displayValue, fieldLabel } from '../students/fields.ts';
import { ALL_STUDENT_FIELDS } from '../students/fields.ts';

type Row = ImportPreview['rows'][number];
type Problem = Row['problems'][number];

const ACTION_COLORS: Record<Row['action'], string> = { create: 'blue', update: 'cyan', unchanged: 'default', error: 'red' };
const isImportError = (p: Problem) => p.code.startsWith('import.');

export function ImportRowsTable({ preview }: { preview: ImportPreview }) {
  const { t, locale } = useLocale();
  const [onlyProblems, setOnlyProblems] = useState(false);
  const fields = ALL_STUDENT_FIELDS.filter((f) => preview.mapping[f] !== null && preview.mapping[f] !== undefined);
  const rows = onlyProblems ? preview.rows.filter((r) => r.problems.length > 0) : preview.rows;

  const cell = (row: Row, field: StudentFieldName) => {
    const own = row.problems.filter((p) => p.field === field);
    const raw = own.find((p) => p.value !== null)?.value;
    const value = row.values[field] != null ? displayValue(field, row.values[field], locale) : (raw ?? '');
    if (!own.length) return value;
    const error = own.some((p) => isImportError(p) || p.severity === 'blocking');
    return (
      <span className={error ? 'import-cell-error' : 'import-cell-warning'} title={own.map((p) => p.message[locale]).join('\n')} data-testid={`import-cell-${row.row}-${field}`}>
        {value || '∅'}
      </span>
    );
  };

  return (
    <Flex vertical gap={8}>
      <Flex gap={8} align="center">
        <Switch size="small" checked={onlyProblems} onChange={setOnlyProblems} data-testid="import-only-problems" />
        <Typography.Text>{t('import.onlyProblems')}</Typography.Text>
      </Flex>
      <Table<Row>
        data-testid="import-rows"
        rowKey="row"
        size="small"
        bordered
        dataSource={rows}
        pagination={{ pageSize: 100, hideOnSinglePage: true }}
        scroll={{ x: 'max-content', y: 420 }}
        onRow={(row) => ({ 'data-row': row.row, 'data-action': row.action }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('import.row'), dataIndex: 'row', key: 'row', width: 60, fixed: 'left' },
          {
            title: t('import.action'),
            key: 'action',
            width: 100,
            fixed: 'left',
            render: (_v, row) => <Tag color={ACTION_COLORS[row.action]}>{t(`import.action.${row.action}`)}</Tag>,
          },
          {
            title: t('import.problems'),
            key: 'problems',
            width: 380,
            render: (_v, row) =>
              row.problems.map((p, i) => (
                <Typography.Text
                  key={i}
                  type={isImportError(p) || p.severity === 'blocking' ? 'danger' : 'warning'}
                  style={{ display: 'block', fontSize: 12 }}
                  data-testid="import-problem"
                  data-code={p.code}
                >
                  {t('import.problemAt', { row: row.row, column: p.column ?? '—', value: p.value ?? '', message: p.message[locale] })}
                </Typography.Text>
              )),
          },
          ...fields.map((field) => ({
            title: fieldLabel(field, locale),
            key: field,
            render: (_v: unknown, row: Row) => cell(row, field),
          })),
        ]}
      />
    </Flex>
  );
}
