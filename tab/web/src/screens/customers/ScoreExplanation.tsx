import {
  Body1,
  Body1Strong,
  Caption1,
  Card,
  CardHeader,
  Subtitle2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { LightbulbRegular } from '@fluentui/react-icons';
import {
  scoreExplanationText,
  type CardScoreExplanation,
  type ContributionKind,
} from '../../../../../core/results/score-explanation';

const useStyles = makeStyles({
  card: { gap: tokens.spacingVerticalS },
  muted: { color: tokens.colorNeutralForeground3 },
  bar: {
    display: 'flex',
    height: '12px',
    borderRadius: tokens.borderRadiusCircular,
    overflow: 'hidden',
    backgroundColor: tokens.colorNeutralBackground5,
    gap: '2px',
  },
  parts: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 160px), 1fr))',
    gap: tokens.spacingHorizontalM,
    margin: 0,
    padding: 0,
    listStyleType: 'none',
  },
  part: { display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: tokens.spacingHorizontalS },
  swatch: { width: '10px', height: '10px', borderRadius: tokens.borderRadiusSmall, marginTop: '5px' },
  partValue: { gridColumn: 2, fontVariantNumeric: 'tabular-nums' },
  raise: { display: 'flex', alignItems: 'flex-start', gap: tokens.spacingHorizontalS },
  raiseIcon: { flexShrink: 0, fontSize: '20px', color: tokens.colorBrandForeground1 },
});

/** Emails to them in the brand colour (our side) and from them in teal (theirs), as in the history charts. */
const KIND_COLORS: Record<ContributionKind, string> = {
  emailsTo: tokens.colorBrandBackground,
  emailsFrom: tokens.colorPaletteLightTealForeground2,
  meetings: tokens.colorPaletteMarigoldBorderActive,
};

/** Why the score is what it is: rank, the points each kind of activity gave, and what would raise it. */
export function ScoreExplanation(props: { explanation: CardScoreExplanation }) {
  const styles = useStyles();
  const text = scoreExplanationText(props.explanation);
  return (
    <Card className={styles.card} aria-labelledby="score-explanation-title" data-testid="card-explanation">
      <CardHeader
        header={
          <Subtitle2 as="h2" id="score-explanation-title">
            {text.title}
          </Subtitle2>
        }
        description={<Body1Strong data-testid="card-explanation-rank">{text.rank}</Body1Strong>}
      />
      <Body1>{text.meaning}</Body1>
      {text.parts.length > 0 && (
        <>
          <div className={styles.bar} aria-hidden>
            {text.parts.map((part) => (
              <div
                key={part.kind}
                style={{ flexGrow: props.explanation[part.kind], backgroundColor: KIND_COLORS[part.kind] }}
              />
            ))}
          </div>
          <ul className={styles.parts} aria-label="Points by kind of activity, last 12 months">
            {text.parts.map((part) => (
              <li key={part.kind} className={styles.part} data-testid={`card-explanation-${part.kind}`}>
                <span className={styles.swatch} style={{ backgroundColor: KIND_COLORS[part.kind] }} />
                <Body1Strong>{part.label}</Body1Strong>
                <Caption1 className={`${styles.partValue} ${styles.muted}`}>
                  {part.points} points · {part.percent}%
                </Caption1>
              </li>
            ))}
          </ul>
        </>
      )}
      <div className={styles.raise}>
        <LightbulbRegular className={styles.raiseIcon} aria-hidden />
        <Body1 data-testid="card-explanation-raise">{text.raise}</Body1>
      </div>
      <Caption1 className={styles.muted}>{text.how}</Caption1>
    </Card>
  );
}
