import type { ScreenProps } from '../shell/ScreenView';
import { PageHeader } from '../ui/PageHeader';

export function ConsentScreen(_props: ScreenProps) {
  return <PageHeader title="Consent" />;
}
