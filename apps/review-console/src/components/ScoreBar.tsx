import type { CategoryReceipt } from '@clipguard/contracts/console';
import { bandOf, scaleX } from '../lib/geometry';

const W = 260;
const H = 18;

/** A category's score on [0, 1] with its review and block thresholds marked. */
export function ScoreBar({ c }: { c: CategoryReceipt }) {
  const band = bandOf(c.score, c.thresholds);
  const x = scaleX(c.score, W);
  const review = scaleX(c.thresholds.review, W);
  const block = scaleX(c.thresholds.block, W);
  return (
    <svg
      className="score-bar"
      width={W}
      height={H + 12}
      role="img"
      aria-label={`${c.title}: score ${c.score.toFixed(3)}, review at ${c.thresholds.review}, block at ${c.thresholds.block}`}
    >
      <rect x={0} y={2} width={W} height={H} rx={3} className="track" />
      <rect x={review} y={2} width={Math.max(0, block - review)} height={H} className="zone-review" />
      <rect x={block} y={2} width={Math.max(0, W - block)} height={H} className="zone-block" />
      <rect x={0} y={6} width={x} height={H - 8} rx={2} className={`fill fill-${band}`} />
      <line x1={review} x2={review} y1={0} y2={H + 4} className="tick-review" />
      <line x1={block} x2={block} y1={0} y2={H + 4} className="tick-block" />
      <text x={review} y={H + 12} className="tick-label" textAnchor="middle">
        R {c.thresholds.review}
      </text>
      <text x={Math.min(block, W - 16)} y={H + 12} className="tick-label" textAnchor="middle">
        B {c.thresholds.block}
      </text>
    </svg>
  );
}
