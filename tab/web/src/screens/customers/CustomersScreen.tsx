import { Card } from '@fluentui/react-components';
import type { ScreenProps } from '../../shell/ScreenView';
import { NeedsEnrichment } from '../../ui/NeedsEnrichment';
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
              description="Find a customer and open its card: score, trend, email and meeting history."
            />
            <Card>
              <RowsTable
                source={entityRows(enrichment.enrichmentId)}
                columns={['AccountName', 'EngagementScore', 'DaysSinceLastEmail', 'DaysSinceLastMeeting']}
                pageSize={20}
                caption="Customers"
              />
            </Card>
          </>
        )
      }
    </NeedsEnrichment>
  );
}
