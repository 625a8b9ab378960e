/**
 * One class-subject's grade sheet for one semester (`/grade-sheets/:classSubjectId/:semester`):
 * the spreadsheet grid that saves as you go, its status line, and the sheet's actions
 * (submit, Excel export/import, history, change requests once locked).
 */
import { useMemo, useState } from 'react';
import { Button, Flex, Space, Typography } from 'antd';
import { ArrowLeftOutlined, DownloadOutlined, EditOutlined, HistoryOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router';
import type { GradeSheet, Semester } from '../../server/api-types.ts';
import { api } from '../api.ts';
import { ChangeRequestModal, type ChangeDraft } from '../components/change-request-modal.tsx';
import { ErrorResult } from '../components/error-result.tsx';
import { GradeGrid } from '../components/grade-grid.tsx';
import { GradeHistoryDrawer } from '../components/grade-history-drawer.tsx';
import { GradeSheetAlerts } from '../components/grade-sheet-alerts.tsx';
import { ImportSheetButton } from '../components/import-sheet-button.tsx';
import { PageLoader } from '../components/page-loader.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { SaveStatus } from '../components/save-status.tsx';
import { SubmitSheetButton } from '../components/submit-sheet-button.tsx';
import { sheetColumns } from '../grade-book/columns.ts';
import type { GridPosition } from '../grade-book/grid-navigation.ts';
import { useGradeSheet } from '../grade-book/use-grade-sheet.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSession } from '../session/session-context.tsx';

function parseSemester(value: string | undefined): Semester | null {
  return value === '1' ? 1 : value === '2' ? 2 : null;
}

export function GradeSheetPage() {
  const { classSubjectId = '', semester: semesterParam } = useParams();
  const semester = parseSemester(semesterParam);
  if (!semester) return <ErrorResult status={404} />;
  return <GradeSheetView key={`${classSubjectId}/${semester}`} classSubjectId={classSubjectId} semester={semester} />;
}

function GradeSheetView({ classSubjectId, semester }: { classSubjectId: string; semester: Semester }) {
  const { t } = useLocale();
  const { can } = useSession();
  const messages = useMemo(() => ({ tooLong: t('grades.commentTooLong') }), [t]);
  const state = useGradeSheet(classSubjectId, semester, messages);
  const [active, setActive] = useState<GridPosition | null>(null);
  const [historyOpen, setHistoryOpen] = useState(false);
  const [changeDrafts, setChangeDrafts] = useState<ChangeDraft[] | null>(null);
  const { sheet } = state;
  const columns = useMemo(
    () =>
      sheet
        ? sheetColumns(sheet, {
            average: sheet.subject.assessment === 'comment' ? t('grades.col.result') : t('grades.col.average'),
            comment: t('grades.col.comment'),
          })
        : [],
    [sheet, t],
  );

  if (state.loading && !sheet) return <PageLoader />;
  if (state.error || !sheet) {
    const status = state.error?.status === 400 ? 404 : undefined;
    return <ErrorResult status={status} error={state.error} onRetry={() => void state.reload()} />;
  }

  const editable = sheet.can.edit && !sheet.locked;
  const semesterLabel = t(semester === 1 ? 'semester.1' : 'semester.2');
  const complete = sheet.rows.length > 0 && sheet.rows.every((row) => row.missing.length === 0);
  const ready = complete && state.status.unsaved === 0 && state.invalid.size === 0;
  const openChangeRequest = () => {
    const column = active ? columns[active.col] : undefined;
    const row = active ? sheet.rows[active.row] : undefined;
    setChangeDrafts(row && column && column.kind !== 'average' ? [{ studentId: row.studentId, columnId: column.id, value: '' }] : []);
  };

  return (
    <>
      <PageTitle
        testId="grade-sheet-heading"
        subtitle={[semesterLabel, sheet.teacher ? t('grades.teacher', { name: sheet.teacher }) : null].filter(Boolean).join(' · ')}
        extra={
          can('grades.enter') ? (
            <Link to="/my-classes">
              <Button icon={<ArrowLeftOutlined />}>{t('grades.back')}</Button>
            </Link>
          ) : undefined
        }
      >
        {t('grades.title', { subject: sheet.subject.name, className: sheet.className })}
      </PageTitle>
      <GradeSheetAlerts sheet={sheet} state={state} columns={columns} />
      <Flex justify="space-between" align="center" gap={8} wrap style={{ marginBottom: 12 }}>
        {editable ? <SaveStatus status={state.status} invalid={state.invalid.size} onRetry={state.retry} /> : <span />}
        <Space wrap>
          {sheet.can.submit && !sheet.locked && (
            <SubmitSheetButton
              sheetId={sheet.id}
              ready={ready}
              confirmText={t('grades.submitConfirm', { subject: sheet.subject.name, className: sheet.className, semester: semesterLabel })}
              beforeSubmit={state.saveAll}
              onSubmitted={() => void state.reload()}
            />
          )}
          {sheet.locked && sheet.can.requestChange && (
            <Button icon={<EditOutlined />} onClick={openChangeRequest} data-testid="request-change">
              {t('grades.requestChange')}
            </Button>
          )}
          {sheet.can.export && (
            <Button icon={<DownloadOutlined />} href={api.exportSheetUrl(sheet.id)} download data-testid="export-sheet">
              {t('grades.export')}
            </Button>
          )}
          {sheet.can.import && editable && (
            <ImportSheetButton sheetId={sheet.id} disabled={false} beforeImport={state.saveAll} onImported={state.replaceRows} />
          )}
          <Button icon={<HistoryOutlined />} onClick={() => setHistoryOpen(true)} data-testid="sheet-history">
            {t('grades.history')}
          </Button>
        </Space>
      </Flex>
      {editable && (
        <Typography.Paragraph type="secondary" className="hb-grid-hint" style={{ fontSize: 13 }}>
          {t('grades.hint')} {sheet.subject.assessment === 'comment' ? t('grades.hintComment') : ''}
        </Typography.Paragraph>
      )}
      {sheet.rows.length === 0 ? (
        <Typography.Text type="secondary">{t('grades.empty')}</Typography.Text>
      ) : (
        <GradeGrid
          rows={sheet.rows}
          columns={columns}
          readOnly={!editable}
          cell={state.cell}
          average={state.average}
          onCommit={state.commit}
          onPasteBlock={(r, c, block) => pasteBlock(sheet, columns, state.commit, r, c, block)}
          onLeave={() => void state.flush()}
          active={active}
          onActiveChange={setActive}
        />
      )}
      <GradeHistoryDrawer sheetId={sheet.id} open={historyOpen} onClose={() => setHistoryOpen(false)} />
      {changeDrafts && (
        <ChangeRequestModal
          open
          sheet={sheet}
          columns={columns}
          initial={changeDrafts}
          onClose={() => setChangeDrafts(null)}
          onSent={() => {
            setChangeDrafts(null);
            void state.reload();
          }}
        />
      )}
    </>
  );
}

/** A block pasted at (row, col): each text lands in the cell it covers; the computed column and cells past the edge are skipped. */
function pasteBlock(
  sheet: GradeSheet,
  columns: ReturnType<typeof sheetColumns>,
  commit: ReturnType<typeof useGradeSheet>['commit'],
  row: number,
  col: number,
  block: string[][],
): void {
  block.forEach((texts, i) => {
    const target = sheet.rows[row + i];
    if (!target) return;
    texts.forEach((text, j) => {
      const column = columns[col + j];
      if (column && column.kind !== 'average') commit(target, column, text);
    });
  });
}
