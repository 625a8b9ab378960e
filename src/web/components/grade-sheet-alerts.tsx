/** What the grade sheet needs to tell: locked, restored or stranded cells, conflicts, failures, invalid cells. */
import { Alert, Button, Flex } from 'antd';
import type { GradeSheet } from '../../server/api-types.ts';
import { cellKey, columnRef, type SheetColumn } from '../grade-book/columns.ts';
import type { GradeSheetState } from '../grade-book/use-grade-sheet.ts';
import { formatDateTime } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';

interface GradeSheetAlertsProps {
  sheet: GradeSheet;
  state: GradeSheetState;
  columns: SheetColumn[];
}

export function GradeSheetAlerts({ sheet, state, columns }: GradeSheetAlertsProps) {
  const { t } = useLocale();
  const invalidCells = sheet.rows.flatMap((row) =>
    columns.flatMap((column) => {
      const ref = columnRef(row.studentId, column);
      const problem = ref ? state.invalid.get(cellKey(ref)) : undefined;
      return problem ? [{ key: cellKey(ref!), place: `${row.fullName} — ${column.label}`, ...problem }] : [];
    }),
  );

  return (
    <Flex vertical gap={8} style={{ marginBottom: 12 }}>
      {sheet.locked && (
        <Alert
          type="info"
          showIcon
          data-testid="sheet-locked"
          title={
            sheet.lockReason === 'deadline'
              ? t('grades.locked.deadline', { at: formatDateTime(sheet.deadline) })
              : t('grades.locked.submitted', { at: formatDateTime(sheet.submittedAt) })
          }
        />
      )}
      {!sheet.locked && !sheet.can.edit && <Alert type="info" showIcon title={t('grades.readOnly')} />}
      {sheet.pendingChangeRequests > 0 && (
        <Alert type="warning" showIcon data-testid="sheet-pending-requests" title={t('grades.pendingRequests', { count: sheet.pendingChangeRequests })} />
      )}
      {state.restored > 0 && <Alert type="info" showIcon closable data-testid="sheet-restored" title={t('grades.restored', { count: state.restored })} />}
      {state.stranded.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={t('grades.stranded', { count: state.stranded.length })}
          action={
            <Button size="small" onClick={state.discardStranded}>
              {t('grades.discard')}
            </Button>
          }
        />
      )}
      {state.conflict && (
        <Alert
          type="error"
          showIcon
          data-testid="sheet-conflict"
          title={t('grades.conflictTitle')}
          description={
            <>
              <div>{state.conflict.message}</div>
              {state.conflict.details && state.conflict.details.length > 0 && (
                <ul style={{ margin: '4px 0', paddingLeft: 18 }}>
                  {state.conflict.details.map((d, i) => (
                    <li key={i}>{d.message}</li>
                  ))}
                </ul>
              )}
              <div>{t('grades.conflictText')}</div>
            </>
          }
          action={
            <Button type="primary" size="small" onClick={() => void state.reload()} data-testid="conflict-reload">
              {t('grades.reload')}
            </Button>
          }
        />
      )}
      {state.failure && (
        <Alert
          type="error"
          showIcon
          data-testid="sheet-save-failed"
          title={t('grades.saveFailed')}
          description={state.failure.message}
          action={
            <Button size="small" onClick={state.retry}>
              {t('common.retry')}
            </Button>
          }
        />
      )}
      {invalidCells.length > 0 && (
        <Alert
          type="error"
          showIcon
          data-testid="invalid-cells"
          title={t('grades.invalidTitle')}
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {invalidCells.map((cell) => (
                <li key={cell.key}>
                  <strong>{cell.place}</strong> ({cell.text}): {cell.message}
                </li>
              ))}
            </ul>
          }
        />
      )}
    </Flex>
  );
}
