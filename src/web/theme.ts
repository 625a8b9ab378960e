/** A calm antd theme: soft blue-teal primary, light header and menu, system fonts with Vietnamese coverage. */
import type { ThemeConfig } from 'antd';

export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1f6fb2',
    borderRadius: 8,
    fontFamily:
      "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif",
    colorBgLayout: '#f4f6f9',
  },
  components: {
    Layout: { headerBg: '#ffffff', headerHeight: 64, siderBg: '#ffffff', headerPadding: '0 24px' },
    Menu: { itemBorderRadius: 6 },
  },
};
