import { Badge, type BadgeProps } from '@fluentui/react-components';
import { scoreBand } from '../../../../core/engine/score';
import type { ScoreBand } from '../api/types';

const BAND_COLORS: Record<ScoreBand, NonNullable<BadgeProps['color']>> = {
  High: 'success',
  Medium: 'warning',
  Low: 'informative',
};

/** The score with its band (High 70–100, Medium 40–69, Low 0–39), e.g. "82 · High". */
export function ScoreBadge(props: { score: number; size?: BadgeProps['size'] }) {
  const band = scoreBand(props.score);
  return (
    <Badge
      appearance="outline"
      color={BAND_COLORS[band]}
      size={props.size ?? 'medium'}
      aria-label={`Score ${props.score}, ${band}`}
    >
      {props.score} · {band}
    </Badge>
  );
}
