import {
  Body1,
  Button,
  Caption1,
  Card,
  Link,
  Spinner,
  Subtitle1,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import {
  CheckmarkCircleFilled,
  ClockRegular,
  DataTrendingRegular,
  DismissCircleFilled,
  ShieldCheckmarkRegular,
  WandRegular,
} from '@fluentui/react-icons';
import { useEffect, type ReactNode } from 'react';
import { api } from '../api/operations';
import { useResource } from '../api/use-resource';
import { useEnrichments } from '../enrichment/EnrichmentProvider';
import { hrefOf } from '../router';
import type { ScreenProps } from '../shell/ScreenView';
import { PageHeader } from '../ui/PageHeader';
import { REGION_LABELS } from '../wizard/wizard-model';
import { RunNowPanel } from './ConsentScreen';
import { CONSENT_LABELS } from './consent-labels';

const useStyles = makeStyles({
  tile: {
    gap: tokens.spacingVerticalL,
    padding: tokens.spacingHorizontalXXL,
    '@media (max-width: 520px)': { padding: tokens.spacingHorizontalL },
  },
  tileHead: { display: 'flex', gap: tokens.spacingHorizontalL, alignItems: 'center' },
  tileTitle: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  logo: {
    flex: '0 0 auto',
    width: '48px',
    height: '48px',
    borderRadius: tokens.borderRadiusXLarge,
    display: 'grid',
    placeItems: 'center',
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
    fontSize: '28px',
  },
  columns: {
    display: 'grid',
    gap: tokens.spacingHorizontalXXL,
    gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 300px), 1fr))',
  },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: 'grid', gap: tokens.spacingVerticalS },
  checks: { listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalM },
  check: { display: 'grid', gridTemplateColumns: '20px minmax(0, 1fr)', gap: tokens.spacingHorizontalS },
  checkText: { display: 'flex', flexDirection: 'column' },
  ok: { color: tokens.colorPaletteGreenForeground1, fontSize: '20px' },
  waiting: { color: tokens.colorPaletteMarigoldForeground1, fontSize: '20px' },
  missing: { color: tokens.colorPaletteRedForeground1, fontSize: '20px' },
  muted: { color: tokens.colorNeutralForeground2 },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  runs: {
    display: 'grid',
    gap: tokens.spacingVerticalS,
    paddingTop: tokens.spacingVerticalL,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
});

type CheckState = 'ok' | 'waiting' | 'missing' | 'checking';

function Check(props: { state: CheckState; label: string; detail: ReactNode; testId: string }) {
  const styles = useStyles();
  const icon =
    props.state === 'checking' ? (
      <Spinner size="extra-tiny" />
    ) : props.state === 'ok' ? (
      <CheckmarkCircleFilled className={styles.ok} aria-hidden />
    ) : props.state === 'waiting' ? (
      <ClockRegular className={styles.waiting} aria-hidden />
    ) : (
      <DismissCircleFilled className={styles.missing} aria-hidden />
    );
  const spoken = { ok: 'met', waiting: 'pending', missing: 'not met', checking: 'checking' }[props.state];
  return (
    <li className={styles.check} data-testid={props.testId} data-state={props.state}>
      {icon}
      <span className={styles.checkText}>
        <Text weight="semibold">
          {props.label}
          <span className="visually-hidden">: {spoken}</span>
        </Text>
        <Caption1 className={styles.muted}>{props.detail}</Caption1>
      </span>
    </li>
  );
}

/** The Account engagement tile: what it does, and its prerequisites checked live. */
export function OverviewScreen(_props: ScreenProps) {
  const styles = useStyles();
  const { current, problem, loading, reload } = useEnrichments();
  // Consent may have been answered elsewhere (the tenant admin's browser) since the list was loaded.
  useEffect(() => {
    reload();
  }, [reload]);
  const notAdmin = problem?.status === 403;
  const datasets = useResource('datasets', (signal) => api.datasets(signal), {
    enabled: !notAdmin && !loading,
  });
  const datasetCount = datasets.data?.datasets.length;
  const consent = current?.consent.status;

  const adminState: CheckState = loading ? 'checking' : notAdmin || problem ? 'missing' : 'ok';
  const datasetState: CheckState = notAdmin
    ? 'missing'
    : datasetCount === undefined
      ? datasets.problem
        ? 'missing'
        : 'checking'
      : datasetCount > 0
        ? 'ok'
        : 'missing';
  const consentState: CheckState =
    consent === 'granted' ? 'ok' : consent === 'requested' ? 'waiting' : loading ? 'checking' : 'missing';
  const regionState: CheckState = current ? 'ok' : loading ? 'checking' : 'waiting';

  return (
    <>
      <PageHeader title="Overview" />
      <Card className={styles.tile} aria-labelledby="tile-title">
        <div className={styles.tileHead}>
          <div className={styles.logo} aria-hidden>
            <DataTrendingRegular />
          </div>
          <div className={styles.tileTitle}>
            <Subtitle1 as="h2" id="tile-title">
              Account engagement
            </Subtitle1>
            <Body1 className={styles.muted}>
              How much your organization talks to each customer, scored 0–100.
            </Body1>
          </div>
        </div>
        <div className={styles.columns}>
          <section aria-label="What it does">
            <ul className={styles.list}>
              <li>
                <Body1>
                  Reads the <strong>metadata</strong> of tracked colleagues&apos; email and meetings through
                  Microsoft Graph: who, with whom, when. Never subjects, bodies or attachments.
                </Body1>
              </li>
              <li>
                <Body1>
                  Matches the people to your customer accounts and keeps per-account totals over the last
                  year.
                </Body1>
              </li>
              <li>
                <Body1>
                  Scores each account against the others, flags accounts going quiet, and shows sellers a
                  customer card in Teams.
                </Body1>
              </li>
            </ul>
          </section>
          <section aria-labelledby="checks-title">
            <Text weight="semibold" as="h3" id="checks-title" block>
              Prerequisites
            </Text>
            <ul className={styles.checks}>
              <Check
                testId="check-admin"
                state={adminState}
                label="Admin role"
                detail={
                  notAdmin
                    ? 'You are not an Account engagement admin: ask for the admin role.'
                    : problem
                      ? problem.message
                      : 'You may configure and run enrichments.'
                }
              />
              <Check
                testId="check-dataset"
                state={datasetState}
                label="Customer dataset"
                detail={
                  datasetCount === undefined
                    ? (datasets.problem?.message ?? 'Checking…')
                    : datasetCount > 0
                      ? `${datasetCount} ${datasetCount === 1 ? 'dataset' : 'datasets'} present.`
                      : 'No dataset yet: import one in Set up.'
                }
              />
              <Check
                testId="check-consent"
                state={consentState}
                label="Tenant-admin consent"
                detail={
                  consent ? (
                    consent === 'granted' ? (
                      `${CONSENT_LABELS[consent]}.`
                    ) : (
                      <>
                        {CONSENT_LABELS[consent]}. Runs start once it is granted:{' '}
                        <Link href={hrefOf('consent')}>see the consent state</Link>.
                      </>
                    )
                  ) : (
                    'Requested when the enrichment is saved.'
                  )
                }
              />
              <Check
                testId="check-region"
                state={regionState}
                label="Supported data region"
                detail={
                  current
                    ? `Data is kept in ${REGION_LABELS[current.region]}.`
                    : 'United Kingdom, Europe or North America, chosen in Set up.'
                }
              />
            </ul>
          </section>
        </div>
        {current && consent === 'granted' ? (
          <section className={styles.runs} aria-labelledby="runs-title">
            <Text weight="semibold" as="h3" id="runs-title" block>
              Runs
            </Text>
            <RunNowPanel
              enrichmentId={current.enrichmentId}
              mailboxHealth
              extraActions={
                <Button icon={<WandRegular />} as="a" href="#/setup">
                  Configuration
                </Button>
              }
            />
          </section>
        ) : (
          <div className={styles.actions}>
            {current ? (
              <>
                <Button
                  appearance="primary"
                  icon={<ShieldCheckmarkRegular />}
                  as="a"
                  href={hrefOf('consent')}
                >
                  See the consent state
                </Button>
                <Button icon={<WandRegular />} as="a" href="#/setup">
                  Configuration
                </Button>
              </>
            ) : (
              <Button appearance="primary" icon={<WandRegular />} as="a" href="#/setup" disabled={notAdmin}>
                Set up the enrichment
              </Button>
            )}
          </div>
        )}
      </Card>
    </>
  );
}
