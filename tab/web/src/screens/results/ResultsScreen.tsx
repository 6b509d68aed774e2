import type { ScreenProps } from '../../shell/ScreenView';
import { PageHeader } from '../../ui/PageHeader';

export function ResultsScreen(_props: ScreenProps) {
  return <PageHeader title="Results" />;
}
