/** What the server recognised in the uploaded file: format, encoding, layout and any legacy font converted. */
import { Alert, Descriptions, Flex } from 'antd';
import type { ImportPreview } from '../../server/api-types.ts';
import { useLocale } from '../i18n/locale-context.tsx';

export function ImportFileInfo({ preview }: { preview: ImportPreview }) {
  const { t } = useLocale();
  return (
    <Flex vertical gap={8}>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, lg: 4 }}
        data-testid="import-file-info"
        items={[
          { key: 'file', label: t('import.file'), children: preview.fileName },
          { key: 'format', label: t('import.format'), children: preview.format.toUpperCase() },
          { key: 'encoding', label: t('import.encoding'), children: <span data-testid="import-encoding">{preview.encoding}</span> },
          { key: 'layout', label: t('import.layout'), children: t(`import.layout.${preview.layout}`) },
        ]}
      />
      {preview.legacyFont && (
        <Alert type="info" showIcon data-testid="import-legacy-font" title={t('import.legacy', { font: t(`import.font.${preview.legacyFont}`) })} />
      )}
    </Flex>
  );
}
