import { Body1, Button, Caption1, Card, Link, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowClockwiseRegular } from '@fluentui/react-icons';
import { api, type AlertFilter } from '../../api/operations';
import type { Enrichment } from '../../api/types';
import { useResource } from '../../api/use-resource';
import type { ScreenProps } from '../../shell/ScreenView';
import { formatCount } from '../../ui/format';
import { NeedsEnrichment } from '../../ui/NeedsEnrichment';
import { PageHeader } from '../../ui/PageHeader';
import { ProblemBar } from '../../ui/ProblemBar';
import { useMediaQuery } from '../../ui/use-media-query';
import { isAlertStatus, isDeliveryStatus } from './alert-labels';
import { AlertFilters } from './AlertFilters';
import { AlertList } from './AlertList';
import { DeliveryTiles, NoAlerts } from './AlertOverview';
import { useAlertPages } from './use-alert-pages';

const useStyles = makeStyles({
  card: { gap: tokens.spacingVerticalM },
  toolbar: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalM },
  muted: { color: tokens.colorNeutralForeground2 },
  more: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalS,
  },
});

export function AlertsScreen(props: ScreenProps) {
  return (
    <NeedsEnrichment title="Alerts">
      {(enrichment) => <Alerts enrichment={enrichment} query={props.route.query} />}
    </NeedsEnrichment>
  );
}

/** The filters live in the route (`#/alerts?status=open&delivery=failed`), so a filtered list can be linked to. */
function filterOf(query: URLSearchParams): AlertFilter {
  const status = query.get('status');
  const delivery = query.get('delivery');
  return {
    ...(isAlertStatus(status) ? { status } : {}),
    ...(isDeliveryStatus(delivery) ? { delivery } : {}),
  };
}

function alertsHref(filter: AlertFilter): string {
  const query = new URLSearchParams();
  if (filter.status) query.set('status', filter.status);
  if (filter.delivery) query.set('delivery', filter.delivery);
  const text = query.toString();
  return `#/alerts${text ? `?${text}` : ''}`;
}

function Alerts(props: { enrichment: Enrichment; query: URLSearchParams }) {
  const styles = useStyles();
  const id = props.enrichment.enrichmentId;
  const threshold = props.enrichment.staleThresholdDays;
  const filter = filterOf(props.query);
  const filtered = !!(filter.status ?? filter.delivery);
  // The table needs the room of a wide window beside the navigation rail; narrower, one card per alert.
  const wide = useMediaQuery('(min-width: 1100px)');
  const summary = useResource(
    `alert-summary:${id}:${filter.status ?? ''}:${filter.delivery ?? ''}`,
    (signal) => api.alertSummary(id, filter, signal),
    { keepData: true },
  );
  const pages = useAlertPages(id, filter);
  const counts = summary.data;

  return (
    <>
      <PageHeader
        title="Alerts"
        description={`The bot tells sellers in Teams when an account they own goes stale: no email and no meeting for more than ${threshold} days. Who was told, who was not, and why.`}
        actions={
          <Button
            icon={<ArrowClockwiseRegular />}
            onClick={() => {
              summary.reload();
              pages.reload();
            }}
          >
            Refresh
          </Button>
        }
      />
      <ProblemBar
        problem={summary.problem}
        title="The alert counts could not be loaded"
        onRetry={summary.reload}
      />
      {counts && counts.total === 0 && !filtered ? (
        <NoAlerts summary={counts} thresholdDays={threshold} />
      ) : (
        <>
          {counts && <DeliveryTiles summary={counts} />}
          <Card className={styles.card}>
            <div className={styles.toolbar}>
              <AlertFilters
                filter={filter}
                summary={counts}
                onChange={(next) => {
                  window.location.hash = alertsHref(next);
                }}
              />
              {(pages.loading || summary.loading) && <Spinner size="tiny" aria-label="Loading alerts" />}
            </div>
            <ProblemBar
              problem={pages.problem}
              title="The alerts could not be loaded"
              onRetry={pages.reload}
            />
            {pages.alerts.length > 0 && <AlertList alerts={pages.alerts} wide={wide} />}
            {!pages.loading && !pages.problem && pages.alerts.length === 0 && (
              <Body1>
                No alert matches these filters. <Link href={alertsHref({})}>Show every alert</Link>
              </Body1>
            )}
            <ProblemBar
              problem={pages.moreProblem}
              title="More alerts could not be loaded"
              onRetry={pages.loadMore}
            />
            {pages.alerts.length > 0 && (
              <div className={styles.more}>
                <Caption1 className={styles.muted} aria-live="polite">
                  {formatCount(pages.alerts.length)} of {formatCount(counts?.total ?? pages.alerts.length)}{' '}
                  {filtered ? 'matching alerts' : 'alerts'}, newest first
                </Caption1>
                {pages.hasMore && (
                  <Button
                    onClick={pages.loadMore}
                    disabled={pages.loadingMore}
                    icon={pages.loadingMore ? <Spinner size="tiny" /> : undefined}
                  >
                    Load more
                  </Button>
                )}
              </div>
            )}
          </Card>
        </>
      )}
    </>
  );
}
