/**
 * The first-run invitation on the home page: a card (never a pop-up over the page) that
 * starts a short antd Tour over the real header, menu and home elements for the person's
 * main role. Finishing, closing or "Để sau" is remembered on the server per person
 * (PUT /api/me/help), so it does not come back on this or another computer.
 */
import { useEffect, useState } from 'react';
import { Button, Card, Flex, Grid, Tour, Typography, type TourStepProps } from 'antd';
import { CompassOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { roleLabel, type MessageKey } from '../i18n/index.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSignedInSession } from '../session/session-context.tsx';
import { activeRoles } from '../session/session-view.ts';
import { helpApi } from './help-api.ts';
import { mainRole, ROLE_GUIDE_PAGES } from './help-topics.ts';
import { guidePath } from './markdown.ts';

/** The menu entry each role should start from (tour step "your first task"). */
const ROLE_FIRST_NAV: Record<string, string> = {
  subject_teacher: 'my-classes',
  homeroom_teacher: 'homeroom',
  department_head: 'cross-checks',
  principal: 'plan-board',
  vice_principal: 'plan-board',
  clerk: 'signing',
  school_admin: 'classes',
  system_admin: 'account',
  student: 'my-records',
  parent: 'my-records',
};

const el = (selector: string) => () => document.querySelector<HTMLElement>(selector)!;

export function FirstRunTour() {
  const { t, locale } = useLocale();
  const session = useSignedInSession();
  const navigate = useNavigate();
  const phone = Grid.useBreakpoint().md === false;
  const [show, setShow] = useState(false);
  const [running, setRunning] = useState(false);
  const [steps, setSteps] = useState<TourStepProps[]>([]);
  const role = mainRole(activeRoles(session));

  useEffect(() => {
    let live = true;
    // No answer (offline, old server): no card; the tour is a convenience, never in the way.
    helpApi
      .tourState()
      .then((s) => live && setShow(s.tourDismissedAt === null))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [session.user.id]);

  const dismiss = () => {
    setShow(false);
    setRunning(false);
    void helpApi.setTourDismissed(true).catch(() => undefined);
  };

  const start = () => {
    const roleKey = role ? (`tour.role.${role}` as MessageKey) : null;
    const all: Array<TourStepProps & { selector: string | null }> = [
      { selector: '[data-testid="home-heading"]', title: t('tour.step.welcome.title'), description: t('tour.step.welcome.text') },
      { selector: phone ? '[data-testid="menu-toggle"]' : '[data-testid="side-menu"]', title: t('tour.step.menu.title'), description: t('tour.step.menu.text'), placement: phone ? 'bottom' : 'right' },
      ...(role && ROLE_FIRST_NAV[role] && roleKey
        ? [{ selector: phone ? null : `[data-testid="nav-${ROLE_FIRST_NAV[role]}"]`, title: t('tour.role.title'), description: t(roleKey), placement: 'right' as const }]
        : []),
      { selector: '[data-testid="my-work"]', title: t('tour.step.work.title'), description: t('tour.step.work.text') },
      { selector: '[data-testid="help-button"]', title: t('tour.step.help.title'), description: t('tour.step.help.text'), placement: 'bottomRight' },
      { selector: phone ? null : '[data-testid="nav-account"]', title: t('tour.step.account.title'), description: t('tour.step.account.text'), placement: 'right' },
    ];
    // Steps whose element this person does not have (no plan, phone layout) are left out, not shown floating.
    const kept = all.filter((s) => s.selector === null ? s.title === t('tour.role.title') : document.querySelector(s.selector) !== null);
    setSteps(kept.map(({ selector, ...step }) => ({ ...step, target: selector ? el(selector) : null })));
    setRunning(true);
  };

  if (!show) return null;
  return (
    <>
      <Card size="small" data-testid="tour-card" style={{ marginBottom: 16, background: '#f0f7ff', borderColor: '#91caff' }}>
        <Flex align="center" gap={12} wrap>
          <CompassOutlined style={{ fontSize: 24, color: '#1677ff' }} />
          <div style={{ flex: '1 1 280px' }}>
            <Typography.Text strong>{t('tour.cardTitle')}</Typography.Text>{' '}
            <Typography.Text>{t('tour.cardText', { role: role ? roleLabel(role, locale) : t('app.name') })}</Typography.Text>
          </div>
          <Flex gap={8} wrap>
            <Button type="primary" data-testid="tour-start" onClick={start}>
              {t('tour.start')}
            </Button>
            {role && ROLE_GUIDE_PAGES[role] && (
              <Button onClick={() => navigate(guidePath(ROLE_GUIDE_PAGES[role]!))}>{t('tour.readGuide')}</Button>
            )}
            <Button type="text" data-testid="tour-dismiss" onClick={dismiss}>
              {t('tour.dismiss')}
            </Button>
          </Flex>
        </Flex>
      </Card>
      <Tour
        open={running}
        steps={steps}
        onClose={dismiss}
        onFinish={dismiss}
        data-testid="tour"
        indicatorsRender={(current, total) => `${current + 1}/${total}`}
      />
    </>
  );
}
