import type { ScreenProps } from '../shell/ScreenView';
import { PageHeader } from '../ui/PageHeader';

export function SetupWizard(_props: ScreenProps) {
  return <PageHeader title="Set up" />;
}
