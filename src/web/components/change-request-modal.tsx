/**
 * "Đề nghị sửa điểm" on a locked sheet: pick cells and their new values (or ask to unlock
 * the whole sheet), give a reason (required) and optionally attach the scanned letter.
 * New values are checked with the same rules as the grid before anything is sent.
 */
import { useState } from 'react';
import { Alert, App, Button, Flex, Form, Input, Modal, Radio, Select, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { ChangeRequestCreate, GradeSheet } from '../../server/api-types.ts';
import { api, isApiError } from '../api.ts';
import type { UploadedFile } from '../api-models.ts';
import { displayCell, parseCellInput } from '../grade-book/cell-values.ts';
import { columnRef, rowValue, type SheetColumn } from '../grade-book/columns.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { AttachmentUpload } from './attachment-upload.tsx';

export interface ChangeDraft {
  studentId: string | null;
  columnId: string | null;
  value: string;
}

interface ChangeRequestModalProps {
  sheet: GradeSheet;
  columns: SheetColumn[];
  initial: ChangeDraft[];
  open: boolean;
  onClose: () => void;
  onSent: () => void;
}

export function ChangeRequestModal({ sheet, columns, initial, open, onClose, onSent }: ChangeRequestModalProps) {
  const { t, locale } = useLocale();
  const { message } = App.useApp();
  const [kind, setKind] = useState<ChangeRequestCreate['kind']>('values');
  const [drafts, setDrafts] = useState<ChangeDraft[]>(initial.length > 0 ? initial : [{ studentId: null, columnId: null, value: '' }]);
  const [reason, setReason] = useState('');
  const [attachment, setAttachment] = useState<UploadedFile | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const editable = columns.filter((c) => c.kind !== 'average');
  const tooLong = t('grades.commentTooLong');
  const current = (draft: ChangeDraft) => {
    const row = sheet.rows.find((r) => r.studentId === draft.studentId);
    const column = editable.find((c) => c.id === draft.columnId);
    if (!row || !column?.field) return null;
    return { row, column, value: rowValue(row, column.field, column.index) };
  };
  const update = (i: number, patch: Partial<ChangeDraft>) => setDrafts((all) => all.map((d, j) => (j === i ? { ...d, ...patch } : d)));

  const send = async () => {
    const found: string[] = [];
    if (!reason.trim()) found.push(t('changeRequest.reasonRequired'));
    const cells: NonNullable<ChangeRequestCreate['cells']> = [];
    if (kind === 'values') {
      drafts.forEach((draft, i) => {
        const n = i + 1;
        const cur = current(draft);
        if (!cur) return void found.push(t('changeRequest.cellIncomplete', { n }));
        const kindOf = cur.column.kind === 'average' ? 'score' : cur.column.kind;
        const parsed = parseCellInput(kindOf, draft.value, locale, { tooLong });
        if (!parsed.ok) return void found.push(t('changeRequest.cellInvalid', { n, message: parsed.message }));
        if (parsed.value === cur.value) return void found.push(t('changeRequest.cellSame', { n }));
        const ref = columnRef(cur.row.studentId, cur.column);
        if (ref) cells.push({ ...ref, value: parsed.value });
      });
      if (drafts.length === 0) found.push(t('changeRequest.cellsRequired'));
    }
    setProblems(found);
    if (found.length > 0) return;
    setBusy(true);
    try {
      await api.createChangeRequest(sheet.id, {
        kind,
        reason: reason.trim(),
        ...(kind === 'values' ? { cells } : {}),
        ...(attachment ? { attachmentId: attachment.id } : {}),
      });
      void message.success(t('changeRequest.sent'));
      onSent();
    } catch (error) {
      setProblems([isApiError(error) ? error.message : String(error), ...(isApiError(error) ? (error.details ?? []).map((d) => d.message) : [])]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('changeRequest.title')}
      onCancel={onClose}
      width={720}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button key="send" type="primary" loading={busy} onClick={() => void send()} data-testid="change-request-send">
          {t('changeRequest.send')}
        </Button>,
      ]}
    >
      <Form layout="vertical" data-testid="change-request-form">
        <Form.Item>
          <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as ChangeRequestCreate['kind'])} data-testid="change-request-kind">
            <Radio.Button value="values">{t('changeRequest.kind.values')}</Radio.Button>
            <Radio.Button value="unlock">{t('changeRequest.kind.unlock')}</Radio.Button>
          </Radio.Group>
        </Form.Item>
        {kind === 'unlock' && <Alert type="info" showIcon title={t('changeRequest.unlockHint')} style={{ marginBottom: 16 }} />}
        {kind === 'values' && (
          <Flex vertical gap={8} style={{ marginBottom: 16 }}>
            {drafts.map((draft, i) => {
              const cur = current(draft);
              return (
                <Flex key={i} gap={8} wrap align="center" data-testid={`change-row-${i}`}>
                  <Select
                    showSearch={{ optionFilterProp: 'label' }}
                    style={{ flex: '1 1 220px', minWidth: 180 }}
                    placeholder={t('changeRequest.student')}
                    value={draft.studentId}
                    onChange={(studentId: string) => update(i, { studentId })}
                    options={sheet.rows.map((r, n) => ({ value: r.studentId, label: `${n + 1}. ${r.fullName}` }))}
                    data-testid="change-student"
                  />
                  <Select
                    style={{ width: 120 }}
                    placeholder={t('changeRequest.column')}
                    value={draft.columnId}
                    onChange={(columnId: string) => update(i, { columnId })}
                    options={editable.map((c) => ({ value: c.id, label: c.label }))}
                    data-testid="change-column"
                  />
                  <Typography.Text type="secondary" style={{ minWidth: 90 }}>
                    {t('changeRequest.current')}: {cur ? displayCell(cur.column.kind, cur.value, locale) || '∅' : '—'}
                  </Typography.Text>
                  <Input
                    style={{ width: 120 }}
                    placeholder={t('changeRequest.newValue')}
                    aria-label={t('changeRequest.newValue')}
                    value={draft.value}
                    onChange={(e) => update(i, { value: e.target.value })}
                    data-testid="change-value-input"
                  />
                  <Button
                    icon={<DeleteOutlined />}
                    aria-label={t('changeRequest.remove')}
                    title={t('changeRequest.remove')}
                    onClick={() => setDrafts((all) => all.filter((_, j) => j !== i))}
                  />
                </Flex>
              );
            })}
            <Button
              icon={<PlusOutlined />}
              style={{ alignSelf: 'flex-start' }}
              onClick={() => setDrafts((all) => [...all, { studentId: null, columnId: null, value: '' }])}
            >
              {t('changeRequest.addCell')}
            </Button>
          </Flex>
        )}
        <Form.Item label={t('changeRequest.reason')} required>
          <Input.TextArea
            rows={3}
            value={reason}
            maxLength={2000}
            placeholder={t('changeRequest.reasonPlaceholder')}
            onChange={(e) => setReason(e.target.value)}
            data-testid="change-request-reason"
          />
        </Form.Item>
        <Form.Item label={t('changeRequest.attachment')}>
          <AttachmentUpload value={attachment} onChange={setAttachment} />
        </Form.Item>
      </Form>
      {problems.length > 0 && (
        <Alert
          type="error"
          showIcon
          data-testid="change-request-errors"
          title={problems.length === 1 ? problems[0] : undefined}
          description={problems.length > 1 ? <ul style={{ margin: 0, paddingLeft: 18 }}>{problems.map((p, i) => <li key={i}>{p}</li>)}</ul> : undefined}
        />
      )}
    </Modal>
  );
}
