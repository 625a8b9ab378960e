/** One select per student field: which column of the file holds it (pre-filled by the server). */
import { Col, Collapse, Row, Select, Typography } from 'antd';
import type { ImportPreview, StudentFieldName } from '../../server/api-types.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { ALL_STUDENT_FIELDS, fieldLabel } from '../students/fields.ts';

interface ImportMappingFormProps {
  preview: ImportPreview;
  busy: boolean;
  onChange: (field: StudentFieldName, column: number | null) => void;
}

export function ImportMappingForm({ preview, busy, onChange }: ImportMappingFormProps) {
  const { t, locale } = useLocale();
  const columns = [
    { value: -1, label: t('import.notInFile') },
    ...preview.headers.map((header, i) => ({ value: i, label: t('import.column', { n: i + 1, header: header || '—' }) })),
  ];
  const mapped = ALL_STUDENT_FIELDS.filter((f) => preview.mapping[f] !== null && preview.mapping[f] !== undefined).length;
  return (
    <Collapse
      size="small"
      items={[
        {
          key: 'mapping',
          label: `${t('import.mapping')} (${mapped}/${ALL_STUDENT_FIELDS.length})`,
          children: (
            <>
              <Typography.Paragraph type="secondary">{t('import.mappingHint')}</Typography.Paragraph>
              <Row gutter={[12, 8]} data-testid="import-mapping">
                {ALL_STUDENT_FIELDS.map((field) => (
                  <Col xs={24} sm={12} lg={8} key={field}>
                    <Typography.Text>{fieldLabel(field, locale)}</Typography.Text>
                    <Select
                      style={{ width: '100%' }}
                      size="small"
                      disabled={busy || preview.status !== 'preview'}
                      value={preview.mapping[field] ?? -1}
                      options={columns}
                      onChange={(v: number) => onChange(field, v < 0 ? null : v)}
                      data-testid={`import-map-${field}`}
                    />
                  </Col>
                ))}
              </Row>
            </>
          ),
        },
      ]}
    />
  );
}
