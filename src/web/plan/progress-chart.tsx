/** A small SVG chart: a stage's planned progress (dashed, 0 → 100 % from start to deadline) and the actual daily figures. */
import { Empty, Flex, Select, Typography } from 'antd';
import { useState } from 'react';
import type { PlanBoard } from '../../server/api-types.ts';
import { PLAN_STAGES, PLAN_STAGE_LABELS, type PlanStage } from '../../domain/plan/plan-template.ts';
import { formatDate } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { chartSeries, dayNumber } from './plan-view.ts';

const W = 640;
const H = 220;
const PAD = { l: 40, r: 12, t: 12, b: 28 };

export function ProgressChart({ board }: { board: PlanBoard }) {
  const { t, locale } = useLocale();
  const firstOpen = board.rows.find((r) => r.status !== 'done' && r.status !== 'upcoming')?.stage ?? 'marks_s1';
  const [stage, setStage] = useState<PlanStage>(firstOpen);
  const { planned, actual } = chartSeries(stage, board.plan, board.snapshots);
  const days = [...planned, ...actual].map(([d]) => d).concat(board.today).sort();
  const x0 = dayNumber(days[0]!);
  const x1 = Math.max(dayNumber(days.at(-1)!), x0 + 1);
  const x = (d: string) => PAD.l + ((dayNumber(d) - x0) / (x1 - x0)) * (W - PAD.l - PAD.r);
  const y = (p: number) => PAD.t + (1 - p / 100) * (H - PAD.t - PAD.b);
  const path = (pts: Array<[string, number]>) => pts.map(([d, p], i) => `${i ? 'L' : 'M'}${x(d).toFixed(1)},${y(p).toFixed(1)}`).join(' ');
  return (
    <div data-testid="progress-chart">
      <Flex gap={12} align="center" wrap style={{ marginBottom: 8 }}>
        <Select<PlanStage> value={stage} onChange={setStage} style={{ minWidth: 260 }} options={PLAN_STAGES.map((s) => ({ value: s, label: PLAN_STAGE_LABELS[s][locale] }))} />
        <Typography.Text type="secondary">
          <span style={{ color: '#8c8c8c' }}>– – {t('planBoard.chartPlanned')}</span> · <span style={{ color: '#1677ff' }}>—— {t('planBoard.chartActual')}</span>
        </Typography.Text>
      </Flex>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" style={{ maxWidth: W }} role="img" aria-label={t('planBoard.chart')}>
        {[0, 25, 50, 75, 100].map((p) => (
          <g key={p}>
            <line x1={PAD.l} x2={W - PAD.r} y1={y(p)} y2={y(p)} stroke="#f0f0f0" />
            <text x={PAD.l - 6} y={y(p) + 4} fontSize="10" textAnchor="end" fill="#8c8c8c">
              {p}%
            </text>
          </g>
        ))}
        <text x={PAD.l} y={H - 8} fontSize="10" fill="#8c8c8c">
          {formatDate(days[0]!)}
        </text>
        <text x={W - PAD.r} y={H - 8} fontSize="10" fill="#8c8c8c" textAnchor="end">
          {formatDate(days.at(-1)!)}
        </text>
        <line x1={x(board.today)} x2={x(board.today)} y1={PAD.t} y2={H - PAD.b} stroke="#faad14" strokeDasharray="2 3" />
        {planned.length > 0 && <path d={path(planned)} stroke="#8c8c8c" strokeDasharray="6 4" fill="none" strokeWidth={1.5} />}
        {actual.length > 0 && <path d={path(actual)} stroke="#1677ff" fill="none" strokeWidth={2} />}
        {actual.map(([d, p]) => (
          <circle key={d} cx={x(d)} cy={y(p)} r={3} fill="#1677ff" />
        ))}
      </svg>
      {actual.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('planBoard.chartEmpty')} />}
    </div>
  );
}
