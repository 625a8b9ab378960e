/** A calm centred spinner while a page or the session loads. */
import { Flex, Spin, Typography } from 'antd';
import { useLocale } from '../i18n/locale-context.tsx';

export function PageLoader({ fullScreen = false }: { fullScreen?: boolean }) {
  const { t } = useLocale();
  return (
    <Flex
      vertical
      gap={12}
      align="center"
      justify="center"
      style={{ minHeight: fullScreen ? '100vh' : 240 }}
      data-testid="loading"
    >
      <Spin size="large" />
      <Typography.Text type="secondary">{t('common.loading')}</Typography.Text>
    </Flex>
  );
}
