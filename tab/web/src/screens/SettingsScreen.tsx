import {
  Body1,
  Button,
  Card,
  CardHeader,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Option,
  Radio,
  RadioGroup,
  Spinner,
  Subtitle2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { SaveRegular, ShieldDismissRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { ApiProblem } from '../api/client';
import { api } from '../api/operations';
import type { Cadence, Enrichment, Region } from '../api/types';
import { useEnrichments } from '../enrichment/EnrichmentProvider';
import type { ScreenProps } from '../shell/ScreenView';
import { NeedsEnrichment } from '../ui/NeedsEnrichment';
import { PageHeader } from '../ui/PageHeader';
import { ProblemBar } from '../ui/ProblemBar';
import { draftOf } from '../wizard/use-wizard-draft';
import { REGION_LABELS } from '../wizard/wizard-model';
import { ConfigHistoryCard } from './ConfigHistoryCard';
import { CONSENT_LABELS, consentLines } from './consent-labels';
import { PrivacyCard, privacyFormOf, privacyOf, type PrivacyForm } from './PrivacyCard';
import { SignalSettings, signalFormOf, signalsOf, type SignalForm } from './settings/SignalSettings';

const useStyles = makeStyles({
  card: { gap: tokens.spacingVerticalM },
  grid: {
    display: 'grid',
    gap: tokens.spacingHorizontalL,
    gridTemplateColumns: 'repeat(auto-fill, minmax(200px, 1fr))',
    alignItems: 'start',
    // Fluent's dropdowns ask for 250px; in this grid they take their column's width.
    '& .fui-Dropdown, & .fui-Input': { minWidth: 0 },
  },
  consentCard: {
    gap: tokens.spacingVerticalM,
    alignItems: 'flex-start',
    // Message bars take the card's width (they do not wrap their text otherwise).
    '& .fui-MessageBar': { alignSelf: 'stretch' },
  },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  muted: { color: tokens.colorNeutralForeground2 },
});

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const CADENCES: Record<Cadence, string> = {
  weekly: 'Weekly',
  daily: 'Daily',
  monthly: 'Monthly',
  off: 'Off',
};

/** The editable settings as text, so that any input reaches the server's checks and their messages. */
interface Form {
  emailTo: string;
  emailFrom: string;
  meeting: string;
  halfLifeDays: string;
  signals: SignalForm;
  cadence: Cadence;
  dayOfWeek: number;
  dayOfMonth: string;
  hourUtc: string;
  region: Region;
  privacy: PrivacyForm;
}

function formOf(enrichment: Enrichment): Form {
  const { engagement, schedule } = enrichment;
  return {
    emailTo: String(engagement.weights.emailTo),
    emailFrom: String(engagement.weights.emailFrom),
    meeting: String(engagement.weights.meeting),
    halfLifeDays: String(engagement.halfLifeDays),
    signals: signalFormOf(enrichment),
    cadence: schedule.cadence,
    dayOfWeek: schedule.dayOfWeek,
    dayOfMonth: String(schedule.dayOfMonth),
    hourUtc: String(schedule.hourUtc),
    region: enrichment.region,
    privacy: privacyFormOf(enrichment.privacy),
  };
}

/** A number field's text as the API takes it: a number when it reads as one, else the text (refused there, by name). */
const numberOf = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

export function SettingsScreen(_props: ScreenProps) {
  return (
    <NeedsEnrichment title="Settings">
      {(enrichment) => <Settings enrichment={enrichment} key={enrichment.enrichmentId} />}
    </NeedsEnrichment>
  );
}

function Settings(props: { enrichment: Enrichment }) {
  const styles = useStyles();
  const enrichments = useEnrichments();
  const [form, setForm] = useState<Form>(() => formOf(props.enrichment));
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<ApiProblem>();
  const [savedVersion, setSavedVersion] = useState<number>();
  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setSavedVersion(undefined);
  };
  const at = (field: string) => problem?.fieldMessage(field);

  const save = async () => {
    setSaving(true);
    setProblem(undefined);
    try {
      const outcome = await api.updateEnrichment(props.enrichment.enrichmentId, props.enrichment.version, {
        ...draftOf(props.enrichment),
        engagement: {
          weights: {
            emailTo: numberOf(form.emailTo),
            emailFrom: numberOf(form.emailFrom),
            meeting: numberOf(form.meeting),
          },
          halfLifeDays: numberOf(form.halfLifeDays),
          signals: signalsOf(form.signals, props.enrichment),
        },
        staleThresholdDays: numberOf(form.signals.staleThresholdDays),
        schedule: {
          cadence: form.cadence,
          dayOfWeek: form.dayOfWeek,
          dayOfMonth: numberOf(form.dayOfMonth),
          hourUtc: numberOf(form.hourUtc),
        },
        region: form.region,
        privacy: privacyOf(form.privacy),
      });
      setSavedVersion(outcome.enrichment.version);
      enrichments.reload();
    } catch (error) {
      setProblem(error instanceof ApiProblem ? error : new ApiProblem(0, 'ClientError', String(error)));
    } finally {
      setSaving(false);
    }
  };

  const number = (key: keyof Form, field: string, label: string, hint: string) => (
    <Field label={label} hint={hint} validationMessage={at(field)}>
      <Input
        type="number"
        inputMode="decimal"
        value={String(form[key])}
        onChange={(_, d) => set(key, d.value as never)}
      />
    </Field>
  );

  return (
    <>
      <PageHeader
        title="Settings"
        description={`How ${props.enrichment.name} scores accounts, when it flags them at risk, what it never counts, when it runs and where its data stays.`}
      />
      {problem && (
        <ProblemBar
          problem={problem}
          title={problem.fields.length ? 'Not saved: see the fields below' : 'Not saved'}
        />
      )}
      {savedVersion !== undefined && (
        <MessageBar intent="success" role="status">
          <MessageBarBody>Saved as version {savedVersion}. The next run uses these settings.</MessageBarBody>
        </MessageBar>
      )}
      <Card className={styles.card}>
        <CardHeader header={<Subtitle2 as="h2">Scoring</Subtitle2>} />
        <Body1 className={styles.muted}>
          Each counted email or meeting adds its weight, halved every half-life as it ages; scores rank the
          accounts against each other. Each weight may move at most 50% from its default.
        </Body1>
        <div className={styles.grid}>
          {number('emailTo', 'engagement.weights.emailTo', 'Email to the customer', 'Default 1 (0.5–1.5)')}
          {number(
            'emailFrom',
            'engagement.weights.emailFrom',
            'Email from the customer',
            'Default 1.5 (0.75–2.25)',
          )}
          {number('meeting', 'engagement.weights.meeting', 'Meeting', 'Default 4 (2–6)')}
          {number('halfLifeDays', 'engagement.halfLifeDays', 'Half-life (days)', 'Default 90 (7–730)')}
        </div>
      </Card>
      <SignalSettings
        enrichment={props.enrichment}
        form={form.signals}
        onChange={(signals) => set('signals', signals)}
        at={at}
      />
      <PrivacyCard
        enrichment={props.enrichment}
        form={form.privacy}
        onChange={(privacy) => set('privacy', privacy)}
        at={at}
      />
      <Card className={styles.card}>
        <CardHeader header={<Subtitle2 as="h2">Schedule</Subtitle2>} />
        <div className={styles.grid}>
          <Field label="Runs" validationMessage={at('schedule.cadence')}>
            <Dropdown
              value={CADENCES[form.cadence]}
              selectedOptions={[form.cadence]}
              onOptionSelect={(_, d) => set('cadence', d.optionValue as Cadence)}
            >
              {Object.entries(CADENCES).map(([value, label]) => (
                <Option key={value} value={value}>
                  {label}
                </Option>
              ))}
            </Dropdown>
          </Field>
          {form.cadence === 'weekly' && (
            <Field label="On" validationMessage={at('schedule.dayOfWeek')}>
              <Dropdown
                value={DAYS[form.dayOfWeek]}
                selectedOptions={[String(form.dayOfWeek)]}
                onOptionSelect={(_, d) => set('dayOfWeek', Number(d.optionValue))}
              >
                {DAYS.map((day, i) => (
                  <Option key={day} value={String(i)}>
                    {day}
                  </Option>
                ))}
              </Dropdown>
            </Field>
          )}
          {form.cadence === 'monthly' &&
            number('dayOfMonth', 'schedule.dayOfMonth', 'Day of the month', '1–28')}
          {form.cadence !== 'off' && number('hourUtc', 'schedule.hourUtc', 'Hour (UTC)', '0–23')}
        </div>
      </Card>
      <Card className={styles.card}>
        <CardHeader header={<Subtitle2 as="h2">Data region</Subtitle2>} />
        <Field label="Where the results are kept" validationMessage={at('region')}>
          <RadioGroup
            layout="horizontal"
            value={form.region}
            onChange={(_, d) => set('region', d.value as Region)}
          >
            {Object.entries(REGION_LABELS).map(([value, label]) => (
              <Radio key={value} value={value} label={label} />
            ))}
          </RadioGroup>
        </Field>
      </Card>
      <div className={styles.actions}>
        <Button
          appearance="primary"
          icon={saving ? <Spinner size="tiny" /> : <SaveRegular />}
          disabled={saving}
          onClick={() => void save()}
        >
          Save settings
        </Button>
      </div>
      <ConfigHistoryCard enrichmentId={props.enrichment.enrichmentId} version={props.enrichment.version} />
      <RevokeConsentCard enrichment={props.enrichment} />
    </>
  );
}

function RevokeConsentCard(props: { enrichment: Enrichment }) {
  const styles = useStyles();
  const enrichments = useEnrichments();
  const [problem, setProblem] = useState<ApiProblem>();
  const [busy, setBusy] = useState(false);
  const consent = props.enrichment.consent;
  const revoke = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      await api.revokeConsent(props.enrichment.enrichmentId);
      enrichments.reload();
    } catch (error) {
      setProblem(error instanceof ApiProblem ? error : undefined);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card className={styles.consentCard}>
      <CardHeader header={<Subtitle2 as="h2">Consent</Subtitle2>} />
      <Body1>
        {CONSENT_LABELS[consent.status]}. {consentLines(consent).join(' ')}
      </Body1>
      <ProblemBar problem={problem} title="Consent was not revoked" />
      {consent.status === 'granted' && (
        <Dialog>
          <DialogTrigger disableButtonEnhancement>
            <Button icon={<ShieldDismissRegular />} disabled={busy}>
              Revoke consent
            </Button>
          </DialogTrigger>
          <DialogSurface>
            <DialogBody>
              <DialogTitle>Revoke consent?</DialogTitle>
              <DialogContent>
                Automatic runs stop and no run can start until a tenant admin grants consent again. The
                results so far stay.
              </DialogContent>
              <DialogActions>
                <DialogTrigger disableButtonEnhancement>
                  <Button>Cancel</Button>
                </DialogTrigger>
                <DialogTrigger disableButtonEnhancement>
                  <Button appearance="primary" onClick={() => void revoke()}>
                    Revoke
                  </Button>
                </DialogTrigger>
              </DialogActions>
            </DialogBody>
          </DialogSurface>
        </Dialog>
      )}
    </Card>
  );
}
