/** One figure on the home page; unknown card keys still render, labelled by their key. */
import { Card, Statistic } from 'antd';
import { Link } from 'react-router';
import type { HomeCard as HomeCardData } from '../../server/api-types.ts';
import { isMessageKey } from '../i18n/index.ts';
import { useLocale } from '../i18n/locale-context.tsx';

/** `to`: the page the card opens (the whole card is the link). */
export function HomeCard({ card, to }: { card: HomeCardData; to?: string }) {
  const { t, locale } = useLocale();
  const labelKey = `home.card.${card.key}`;
  const label = isMessageKey(labelKey) ? t(labelKey) : card.key;
  const numeric = typeof card.value === 'number';

  const body = (
    <Card size="small" className="hb-stat" hoverable={Boolean(to)} data-testid={`home-card-${card.key}`}>
      <Statistic
        title={label}
        value={numeric ? card.value : String(card.value ?? '')}
        formatter={numeric ? (value) => Number(value).toLocaleString(locale === 'vi' ? 'vi-VN' : 'en-GB') : undefined}
        styles={{ content: numeric ? undefined : { fontSize: 20 } }}
      />
    </Card>
  );
  return to ? (
    <Link to={to} className="hb-card-link">
      {body}
    </Link>
  ) : (
    body
  );
}
