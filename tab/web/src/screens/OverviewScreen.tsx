import type { ScreenProps } from '../shell/ScreenView';
import { PageHeader } from '../ui/PageHeader';

export function OverviewScreen(_props: ScreenProps) {
  return <PageHeader title="Overview" />;
}
