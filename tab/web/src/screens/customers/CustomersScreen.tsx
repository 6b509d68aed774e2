import type { ScreenProps } from '../../shell/ScreenView';
import { PageHeader } from '../../ui/PageHeader';

export function CustomersScreen(_props: ScreenProps) {
  return <PageHeader title="Customers" />;
}
