/** The board's headline: students, % clean and % reconciled, as progress bars. */
import { Card, Col, Progress, Row, Statistic } from 'antd';
import type { QualityBoardView } from '../../server/api-types.ts';
import { useLocale } from '../i18n/locale-context.tsx';

export function QualityTotals({ totals }: { totals: QualityBoardView['totals'] }) {
  const { t } = useLocale();
  return (
    <Row gutter={[16, 16]} data-testid="quality-totals">
      <Col xs={24} sm={8}>
        <Card size="small">
          <Statistic title={t('quality.totalStudents')} value={totals.students} />
        </Card>
      </Col>
      <Col xs={12} sm={8}>
        <Card size="small">
          <Statistic title={t('quality.clean')} value={totals.clean} suffix={`/ ${totals.students}`} />
          <Progress percent={totals.percentClean} size="small" status={totals.percentClean >= 100 ? 'success' : 'active'} data-testid="quality-total-clean" />
        </Card>
      </Col>
      <Col xs={12} sm={8}>
        <Card size="small">
          <Statistic title={t('quality.reconciled')} value={totals.reconciled ?? 0} suffix={`/ ${totals.students}`} />
          <Progress percent={totals.percentReconciled ?? 0} size="small" strokeColor="#722ed1" />
        </Card>
      </Col>
    </Row>
  );
}
