import type { EnrichmentDraft } from '../../api/types';
import type { EntryKinds, EntryLabels } from '../wizard-model';

export interface StepProps {
  draft: EnrichmentDraft;
  update(edit: (draft: EnrichmentDraft) => EnrichmentDraft): unknown;
  /** Problems per field (from the step's own checks or the server's), shown at the field. */
  messages: Record<string, string>;
  kinds: EntryKinds;
  rememberKinds(kinds: EntryKinds): void;
  labels: EntryLabels;
  rememberLabels(labels: EntryLabels): void;
}
