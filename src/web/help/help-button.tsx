/**
 * The one contextual-help mechanism: a "Trợ giúp" button in the header that opens, in a side
 * drawer, the guide section for the current screen (help-topics.ts). The screen stays as it
 * is underneath (an unsaved grade sheet is not lost); "Mở toàn trang" opens /guide/… instead.
 */
import { useState } from 'react';
import { Button, Drawer, Flex } from 'antd';
import { BookOutlined, ExportOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { useLocation, useNavigate } from 'react-router';
import type { GuidePage } from '../../domain/help/guide-pages.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSignedInSession } from '../session/session-context.tsx';
import { activeRoles } from '../session/session-view.ts';
import { GuideView } from './guide-view.tsx';
import { helpTopicFor, type HelpTopic } from './help-topics.ts';
import { guidePath } from './markdown.ts';

export function HelpButton({ compact = false }: { compact?: boolean }) {
  const { t } = useLocale();
  const session = useSignedInSession();
  const location = useLocation();
  const navigate = useNavigate();
  const [shown, setShown] = useState<HelpTopic | null>(null);

  const open = () => setShown(helpTopicFor(location.pathname, activeRoles(session)));

  return (
    <>
      <Button
        data-testid="help-button"
        type="text"
        icon={<QuestionCircleOutlined />}
        aria-label={t('help.button')}
        title={t('help.buttonTitle')}
        onClick={open}
      >
        {compact ? null : t('help.button')}
      </Button>
      <Drawer
        data-testid="help-drawer"
        open={shown !== null}
        onClose={() => setShown(null)}
        size={compact ? '100%' : 600}
        title={t('help.drawerTitle')}
        destroyOnHidden
        extra={
          shown && (
            <Flex gap={4}>
              <Button size="small" type="text" icon={<BookOutlined />} onClick={() => setShown({ page: 'README', anchor: null })}>
                {t('help.index')}
              </Button>
              <Button
                size="small"
                data-testid="help-open-full"
                icon={<ExportOutlined />}
                onClick={() => {
                  navigate(guidePath(shown.page, shown.anchor));
                  setShown(null);
                }}
              >
                {t('help.openFull')}
              </Button>
            </Flex>
          )
        }
      >
        {shown && (
          <GuideView
            page={shown.page}
            anchor={shown.anchor}
            onApp={(path) => {
              setShown(null);
              navigate(path);
            }}
            onGuide={(page: GuidePage, anchor) => setShown({ page, anchor })}
          />
        )}
      </Drawer>
    </>
  );
}
