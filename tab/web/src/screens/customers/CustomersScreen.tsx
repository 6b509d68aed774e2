import { Card } from '@fluentui/react-components';
import { staleness } from '../../../../../core/segments/segment-columns';
import type { Enrichment } from '../../api/types';
import type { ScreenProps } from '../../shell/ScreenView';
import { NeedsEnrichment } from '../../ui/NeedsEnrichment';
import { formatCount } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { RowsTable, entityRows, type ShownRow } from '../results/RowsTable';
import { CustomerCard } from './CustomerCard';
import { signalThresholdsOf } from '../../../../../core/results/signal-labels';
import { SignalBadges } from './SignalChips';

export function CustomersScreen(props: ScreenProps) {
  const accountId = props.route.accountId;
  return (
    <NeedsEnrichment title="Customers">
      {(enrichment) =>
        accountId ? (
          <CustomerCard enrichment={enrichment} accountId={accountId} key={accountId} />
        ) : (
          <>
            <PageHeader
              title="Customers"
              description="Every account in the customer dataset: find one and open its card (score, trend, email and meeting history). Accounts without counted email or meetings score 0."
            />
            <Card>
              <RowsTable
                source={entityRows(enrichment.enrichmentId)}
                columns={['AccountName', 'EngagementScore', 'DaysSinceLastEmail', 'DaysSinceLastMeeting']}
                pageSize={20}
                signalFilter
                caption="Customers"
                staleThresholdDays={enrichment.staleThresholdDays}
                countText={(total) => `${formatCount(total)} ${total === 1 ? 'customer' : 'customers'}`}
                accountDetail={(row, thresholds) => (
                  <SignalBadges
                    signals={rowSignals(row, enrichment)}
                    thresholds={thresholds ?? signalThresholdsOf(enrichment)}
                  />
                )}
              />
            </Card>
          </>
        )
      }
    </NeedsEnrichment>
  );
}

/** The row's signals to badge: Stale only where the stale mark beside the score does not already say it. */
function rowSignals(row: ShownRow, enrichment: Enrichment) {
  const marked = staleness(row, enrichment.staleThresholdDays).stale;
  return (row.Signals ?? []).filter((signal) => signal !== 'Stale' || !marked);
}
