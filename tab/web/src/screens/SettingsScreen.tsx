import type { ScreenProps } from '../shell/ScreenView';
import { PageHeader } from '../ui/PageHeader';

export function SettingsScreen(_props: ScreenProps) {
  return <PageHeader title="Settings" />;
}
