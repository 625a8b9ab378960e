/** The page menu: only the pages the person's permissions open. */
import type { ReactNode } from 'react';
import { Menu } from 'antd';
import {
  AuditOutlined,
  BarChartOutlined,
  BookOutlined,
  CalendarOutlined,
  CloudSyncOutlined,
  ExperimentOutlined,
  CopyOutlined,
  DatabaseOutlined,
  ExportOutlined,
  FolderOpenOutlined,
  RollbackOutlined,
  UsergroupAddOutlined,
  DiffOutlined,
  EditOutlined,
  FileSearchOutlined,
  FileProtectOutlined,
  HomeOutlined,
  IdcardOutlined,
  KeyOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  SolutionOutlined,
  SwapOutlined,
  TableOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Link, useLocation } from 'react-router';
import { useLocale } from '../i18n/locale-context.tsx';
import { NAV_ITEMS, navItemAllowed, navKeyForPath } from '../nav.ts';
import { useSession } from '../session/session-context.tsx';

const ICONS: Record<string, ReactNode> = {
  home: <HomeOutlined />,
  'my-classes': <TableOutlined />,
  homeroom: <SolutionOutlined />,
  'change-requests': <DiffOutlined />,
  'cross-checks': <FileSearchOutlined />,
  subjects: <BookOutlined />,
  classes: <TeamOutlined />,
  records: <FileProtectOutlined />,
  signing: <EditOutlined />,
  delegations: <SwapOutlined />,
  staff: <IdcardOutlined />,
  'data-quality': <SafetyCertificateOutlined />,
  'school-settings': <SettingOutlined />,
  certificates: <KeyOutlined />,
  audit: <AuditOutlined />,
  account: <UserOutlined />,
  'my-records': <FolderOpenOutlined />,
  corrections: <RollbackOutlined />,
  transfers: <ExportOutlined />,
  'plan-board': <BarChartOutlined />,
  plan: <CalendarOutlined />,
  'family-accounts': <UsergroupAddOutlined />,
  'issued-copies': <CopyOutlined />,
  backup: <DatabaseOutlined />,
  sync: <CloudSyncOutlined />,
  practice: <ExperimentOutlined />,
};

export function NavMenu({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useLocale();
  const { can } = useSession();
  const location = useLocation();

  const items = NAV_ITEMS.filter((item) => navItemAllowed(item, can)).map((item) => ({
    key: item.key,
    icon: ICONS[item.key],
    label: (
      <Link to={item.path} data-testid={`nav-${item.key}`}>
        {t(item.label)}
      </Link>
    ),
    onClick: () => onNavigate?.(),
  }));

  const selected = navKeyForPath(location.pathname);
  return (
    <Menu
      data-testid="nav-menu"
      mode="inline"
      selectedKeys={selected ? [selected] : []}
      items={items}
      style={{ borderInlineEnd: 'none' }}
    />
  );
}
