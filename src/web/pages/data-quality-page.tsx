/**
 * Chất lượng dữ liệu (`classes.read`): school totals, per-class % clean and % reconciled,
 * and the problem list filterable by class and severity, exportable as XLSX. A homeroom
 * teacher starts on their own class.
 */
import { useEffect, useState } from 'react';
import { Button, Card, Flex, Select } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { api } from '../api.ts';
import { ErrorResult } from '../components/error-result.tsx';
import { PageLoader } from '../components/page-loader.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { QualityClassesTable } from '../components/quality-classes-table.tsx';
import { QualityProblemsTable } from '../components/quality-problems-table.tsx';
import { QualityTotals } from '../components/quality-totals.tsx';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSignedInSession } from '../session/session-context.tsx';
import { useApiData } from '../use-api-data.ts';

export function DataQualityPage() {
  const { t } = useLocale();
  const session = useSignedInSession();
  const board = useApiData(() => api.dataQuality(), [session.activeSchoolId]);
  const [classId, setClassId] = useState<string | null>(null);
  const [severity, setSeverity] = useState<'blocking' | 'warning' | null>(null);
  const [picked, setPicked] = useState(false);

  // A homeroom teacher starts with their own class selected.
  useEffect(() => {
    if (picked || !board.data) return;
    const own = board.data.classes.find((c) => c.homeroomTeacher === session.user.displayName);
    if (own) setClassId(own.classId);
    setPicked(true);
  }, [board.data, picked, session.user.displayName]);

  if (board.loading && !board.data) return <PageLoader />;
  if (board.error || !board.data) return <ErrorResult error={board.error} onRetry={board.reload} />;
  const data = board.data;
  const problems = data.problems.filter(
    (p) => (!classId || data.classes.find((c) => c.classId === classId)?.className === p.className) && (!severity || p.severity === severity),
  );

  return (
    <>
      <PageTitle
        testId="quality-heading"
        subtitle={t('quality.subtitle')}
        extra={
          <Button icon={<DownloadOutlined />} href={api.dataQualityXlsxUrl(classId ?? undefined)} data-testid="quality-export">
            {t('quality.export')}
          </Button>
        }
      >
        {t('quality.title')}
      </PageTitle>
      <Flex vertical gap={16}>
        <QualityTotals totals={data.totals} />
        <Card size="small" title={t('quality.classes')}>
          <QualityClassesTable classes={data.classes} onPick={setClassId} />
        </Card>
        <Card
          size="small"
          title={t('quality.problems', { count: problems.length })}
        >
          <div style={{ marginBottom: 12 }}>
            <Flex gap={8} wrap>
              <Select
                data-testid="quality-filter-class"
                style={{ minWidth: 150 }}
                value={classId ?? ''}
                onChange={(v) => setClassId(v || null)}
                options={[{ value: '', label: t('quality.allClasses') }, ...data.classes.map((c) => ({ value: c.classId, label: c.className }))]}
              />
              <Select
                data-testid="quality-filter-severity"
                style={{ minWidth: 140 }}
                value={severity ?? ''}
                onChange={(v) => setSeverity((v || null) as typeof severity)}
                options={[
                  { value: '', label: t('quality.allSeverities') },
                  { value: 'blocking', label: t('quality.severity.blocking') },
                  { value: 'warning', label: t('quality.severity.warning') },
                ]}
              />
            </Flex>
          </div>
          <QualityProblemsTable problems={problems} />
        </Card>
      </Flex>
    </>
  );
}
