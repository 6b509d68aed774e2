import { Card } from '@fluentui/react-components';
import type { ScreenProps } from '../../shell/ScreenView';
import { NeedsEnrichment } from '../../ui/NeedsEnrichment';
import { formatCount } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { RowsTable, entityRows } from '../results/RowsTable';
import { CustomerCard } from './CustomerCard';

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
              />
            </Card>
          </>
        )
      }
    </NeedsEnrichment>
  );
}
