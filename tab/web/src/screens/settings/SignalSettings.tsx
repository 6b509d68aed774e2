import {
  Body1,
  Caption1,
  Card,
  CardHeader,
  Checkbox,
  Field,
  Input,
  Subtitle2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import {
  signalThresholdsSchema,
  type SignalName,
  type SignalThresholds,
} from '../../../../../core/engine/signals';
import { SIGNAL_NAMES, SIGNALS, signalLabel } from '../../../../../core/results/signal-labels';
import type { Enrichment } from '../../api/types';

const useStyles = makeStyles({
  card: { gap: tokens.spacingVerticalM },
  muted: { color: tokens.colorNeutralForeground2 },
  signals: {
    display: 'grid',
    gap: tokens.spacingHorizontalL,
    gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 220px), 1fr))',
  },
  signal: {
    display: 'grid',
    gap: tokens.spacingVerticalS,
    alignContent: 'start',
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    minWidth: 0,
  },
  meaning: { color: tokens.colorNeutralForeground2, fontStyle: 'italic' },
});

/** The thresholds an admin sets here; Stale's is the enrichment's stale threshold (staleThresholdDays). */
type Threshold = Exclude<keyof SignalThresholds, 'staleDays' | 'alerts'>;

/** The section's input: each threshold as typed, so any input reaches the server's checks, and which signals alert. */
export type SignalForm = Record<Threshold | 'staleThresholdDays', string> & { alerts: SignalName[] };

const FIELDS: Record<Exclude<SignalName, 'Stale'>, { key: Threshold; label: string }[]> = {
  Unanswered: [
    { key: 'unansweredDays', label: 'Over the last (days)' },
    { key: 'unansweredMinEmails', label: 'Emails to them, at least' },
  ],
  SingleThreaded: [
    { key: 'singleThreadedDays', label: 'Over the last (days)' },
    { key: 'singleThreadedMinActivities', label: 'Emails and meetings, at least' },
  ],
  Cooling: [
    { key: 'coolingRecentDays', label: 'Recent span (days)' },
    { key: 'coolingBaselineDays', label: 'Compared with the previous (days)' },
    { key: 'coolingRatio', label: 'Below this share of usual (0–1)' },
    { key: 'coolingMinMean', label: 'Usual activity per span, at least' },
  ],
};

const THRESHOLDS = Object.values(FIELDS).flatMap((fields) => fields.map((field) => field.key));
const shape = signalThresholdsSchema.unwrap().shape;

/** "Default 30 (7–90)", from the schema the server checks with. */
function hintOf(key: Threshold): string {
  const field = shape[key].unwrap();
  const [low, high] = [field.minValue, field.maxValue];
  const range = key === 'coolingRatio' ? 'above 0, below 1' : `${low ?? ''}–${high ?? ''}`;
  return `Default ${String(shape[key].def.defaultValue)} (${range})`;
}

export function signalFormOf(enrichment: Enrichment): SignalForm {
  const signals = enrichment.engagement.signals;
  return {
    ...(Object.fromEntries(THRESHOLDS.map((key) => [key, String(signals[key])])) as Record<
      Threshold,
      string
    >),
    staleThresholdDays: String(enrichment.staleThresholdDays),
    alerts: [...signals.alerts],
  };
}

/** A number field's text as the API takes it: a number when it reads as one, else NaN (refused there, by name). */
const numberOf = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

/** The signals' settings to save: the thresholds typed here and the signals that alert. */
export function signalsOf(form: SignalForm, enrichment: Enrichment): SignalThresholds {
  return {
    ...enrichment.engagement.signals,
    ...(Object.fromEntries(THRESHOLDS.map((key) => [key, numberOf(form[key])])) as Record<Threshold, number>),
    alerts: SIGNALS.filter((signal) => form.alerts.includes(signal)),
  };
}

/** What the signal means with the thresholds as typed, while they read as numbers. */
function meaningOf(signal: SignalName, form: SignalForm, enrichment: Enrichment): string | undefined {
  const thresholds = {
    ...signalsOf(form, enrichment),
    staleDays: numberOf(form.staleThresholdDays),
  };
  if (Object.values(thresholds).some((value) => typeof value === 'number' && !Number.isFinite(value)))
    return undefined;
  return signalLabel(signal, thresholds).meaning;
}

/**
 * The Signals section: the thresholds of the four risk signals, each group with what the signal
 * means with the values typed. A server message names the threshold by its key; the field shows it
 * with the field's own label.
 */
export function SignalSettings(props: {
  enrichment: Enrichment;
  form: SignalForm;
  onChange(next: SignalForm): void;
  at(field: string): string | undefined;
}) {
  const styles = useStyles();
  const field = (key: Threshold | 'staleThresholdDays', label: string, hint: string, path: string) => (
    <Field key={key} label={label} hint={hint} validationMessage={props.at(path)?.replace(key, `“${label}”`)}>
      <Input
        type="number"
        inputMode="decimal"
        value={props.form[key]}
        onChange={(_, d) => props.onChange({ ...props.form, [key]: d.value })}
      />
    </Field>
  );
  return (
    <Card className={styles.card} data-testid="signal-settings">
      <CardHeader header={<Subtitle2 as="h2">Signals</Subtitle2>} />
      <Body1 className={styles.muted}>
        Risk signals mark accounts on their cards, in the Customers list, in segments and in the bot. Each run
        computes them with these thresholds. A signal set to alert sends the account's owner a message in
        Teams when an account starts to show it.
      </Body1>
      <div className={styles.signals}>
        {SIGNALS.map((signal) => (
          <section key={signal} className={styles.signal} aria-label={SIGNAL_NAMES[signal]}>
            <Subtitle2 as="h3">{SIGNAL_NAMES[signal]}</Subtitle2>
            <Caption1 className={styles.meaning}>
              {meaningOf(signal, props.form, props.enrichment) ?? 'Enter numbers to see what it means.'}
            </Caption1>
            {signal === 'Stale'
              ? field('staleThresholdDays', 'Stale after (days)', 'Default 60 (7–365)', 'staleThresholdDays')
              : FIELDS[signal].map(({ key, label }) =>
                  field(key, label, hintOf(key), `engagement.signals.${key}`),
                )}
            <Checkbox
              label="Alert the owner in Teams"
              checked={props.form.alerts.includes(signal)}
              onChange={(_, d) =>
                props.onChange({
                  ...props.form,
                  alerts: d.checked
                    ? [...props.form.alerts, signal]
                    : props.form.alerts.filter((name) => name !== signal),
                })
              }
            />
          </section>
        ))}
      </div>
    </Card>
  );
}
