/**
 * Staff downloads of a record version. Before the seal they are working copies (plain
 * downloads); a sealed or superseded version is an official document, so each download or
 * print asks for a reason first, which the server logs with the copy. Staff who may issue
 * copies also get "print" and "share link".
 */
import { useState } from 'react';
import { Button, Input, Modal, Typography } from 'antd';
import { DownloadOutlined, PrinterOutlined, ShareAltOutlined } from '@ant-design/icons';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSession } from '../session/session-context.tsx';
import { accessApi } from './access-api.ts';
import { SharePanel } from './share-panel.tsx';

const ISSUED = new Set(['sealed', 'superseded']);
type Action = 'pdf' | 'xml' | 'print';

export interface IssueCopyButtonsProps {
  versionId: string;
  state: string;
  hasXml: boolean;
  hasPdf: boolean;
  /** The plain (working-copy) URLs used before the seal. */
  xmlUrl: string;
  pdfUrl: string;
  /** Test ids of the two download buttons (kept from the timeline). */
  xmlTestId?: string;
  pdfTestId?: string;
  xmlLabel: string;
  pdfLabel: string;
}

export function IssueCopyButtons(p: IssueCopyButtonsProps) {
  const { t } = useLocale();
  const { can } = useSession();
  const [asking, setAsking] = useState<Action | null>(null);
  const [sharing, setSharing] = useState(false);
  const [reason, setReason] = useState('');
  const official = ISSUED.has(p.state);

  function go() {
    const r = reason.trim();
    if ([...r].length < 5 || !asking) return;
    const url = asking === 'pdf' ? accessApi.staffPdfUrl(p.versionId, r) : asking === 'xml' ? accessApi.staffXmlUrl(p.versionId, r) : accessApi.printUrl(p.versionId, r);
    if (asking === 'print') window.open(url, '_blank', 'noopener');
    else window.location.assign(url);
    setAsking(null);
    setReason('');
  }

  const button = (action: 'pdf' | 'xml', label: string, plainUrl: string, testId?: string) =>
    official ? (
      <Button icon={<DownloadOutlined />} onClick={() => setAsking(action)} data-testid={testId}>
        {label}
      </Button>
    ) : (
      <Button icon={<DownloadOutlined />} href={plainUrl} data-testid={testId}>
        {label}
      </Button>
    );

  return (
    <>
      {p.hasXml && button('xml', p.xmlLabel, p.xmlUrl, p.xmlTestId)}
      {p.hasPdf && button('pdf', p.pdfLabel, p.pdfUrl, p.pdfTestId)}
      {p.hasPdf && official && can('records.issue_copy') && (
        <Button icon={<PrinterOutlined />} onClick={() => setAsking('print')} data-testid="copy-print">
          {t('copy.print')}
        </Button>
      )}
      {p.hasPdf && p.state === 'sealed' && can('records.issue_copy') && (
        <Button icon={<ShareAltOutlined />} onClick={() => setSharing(true)} data-testid="copy-share">
          {t('copy.share')}
        </Button>
      )}
      <Modal
        open={asking !== null}
        title={t('copy.reasonTitle')}
        onCancel={() => setAsking(null)}
        onOk={go}
        okText={t('copy.continue')}
        okButtonProps={{ disabled: [...reason.trim()].length < 5, ...({ 'data-testid': 'copy-reason-ok' } as Record<string, string>) }}
        cancelText={t('common.cancel')}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('copy.reasonIntro')}</Typography.Paragraph>
        <Input.TextArea
          autoFocus
          rows={2}
          maxLength={500}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t('copy.reasonPlaceholder')}
          aria-label={t('copy.reason')}
          data-testid="copy-reason"
        />
      </Modal>
      <Modal open={sharing} title={t('share.title')} onCancel={() => setSharing(false)} footer={null} width="min(720px, 96vw)" destroyOnHidden>
        <SharePanel versionId={p.versionId} />
      </Modal>
    </>
  );
}
