/** The part of the home page for one role: its figures, its list, or what to do next. */
import { Col, Empty, Flex, Row, Table, Typography } from 'antd';
import type { HomeInfo } from '../../server/api-types.ts';
import { CARD_LINKS, NEXT_STEP, isEmptySection } from '../home-hints.ts';
import { roleLabel } from '../i18n/index.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSession } from '../session/session-context.tsx';
import { HomeCard } from './home-card.tsx';

type Section = HomeInfo['sections'][number];

export function HomeSection({ section, showTitle }: { section: Section; showTitle: boolean }) {
  const { t, locale } = useLocale();
  const { can } = useSession();
  const empty = isEmptySection(section);
  const linkOf = (key: string) => {
    const link = CARD_LINKS[key];
    return link && can(link.permission) ? link.path : undefined;
  };

  return (
    <section data-testid={`home-section-${section.role}`} className="hb-home-section">
      {showTitle && (
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {roleLabel(section.role, locale)}
        </Typography.Title>
      )}
      <Flex vertical gap={16}>
        {section.cards.length > 0 && (
          <Row gutter={[16, 16]}>
            {section.cards.map((card) => (
              <Col key={card.key} xs={12} sm={12} md={8} xl={6}>
                <HomeCard card={card} to={linkOf(card.key)} />
              </Col>
            ))}
          </Row>
        )}
        {section.items && section.items.length > 0 && (
          <Table
            data-testid={`home-items-${section.role}`}
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={section.items}
            columns={[
              { title: t('home.items'), dataIndex: 'label', key: 'label' },
              ...(section.items.some((item) => item.detail)
                ? [{ title: '', dataIndex: 'detail', key: 'detail', responsive: ['sm' as const] }]
                : []),
            ]}
          />
        )}
        {empty && (
          <Empty
            data-testid={`home-empty-${section.role}`}
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={t(NEXT_STEP[section.role])}
          />
        )}
      </Flex>
    </section>
  );
}
