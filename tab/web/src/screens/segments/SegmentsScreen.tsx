import type { ScreenProps } from '../../shell/ScreenView';
import { PageHeader } from '../../ui/PageHeader';

export function SegmentsScreen(_props: ScreenProps) {
  return <PageHeader title="Segments" />;
}
