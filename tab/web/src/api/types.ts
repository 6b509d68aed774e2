/**
 * The API's request and answer shapes, taken from the zod schemas that validate them on the server
 * (type-only imports: nothing of the server reaches the bundle). The OpenAPI document at
 * /api/openapi.json is generated from the same schemas. The few shapes whose schemas are private to
 * their route modules are written out here, mirroring them.
 */
import type { z } from 'zod';
import type { Actor } from '../../../../core/config/actor';
import type { ConfigChange, FieldChange } from '../../../../core/config/config-history';
import type { EnrichmentConfig, EnrichmentDraft } from '../../../../core/config/enrichment-config';
import type { DatasetSummary } from '../../../../core/datasets/dataset-library';
import type { DatasetPreview } from '../../../../core/datasets/dataset-preview';
import type { EngagementRow } from '../../../../core/engine';
import type { Rule, RuleGroup, SegmentDefinition } from '../../../../core/segments/segment-rules';
import type {
  accountCardSchema,
  historySchema,
  rowPageSchema,
  summarySchema,
} from '../../../api/routes/result-schemas';
import type {
  mailboxHealthSchema,
  mailboxPageSchema,
  mailboxSummarySchema,
} from '../../../api/routes/mailbox-health-schemas';
import type { runPageSchema, runSchema, scheduleInfoSchema } from '../../../api/routes/run-schemas';
import type {
  alertPageSchema,
  alertSummarySchema,
  measuresSchema,
  memberPageSchema,
  previewSchema,
  segmentListSchema,
  segmentSchema,
} from '../../../api/routes/segment-schemas';

export type {
  Actor,
  ConfigChange,
  FieldChange,
  DatasetPreview,
  DatasetSummary,
  EngagementRow,
  EnrichmentDraft,
  Rule,
  RuleGroup,
};

// ---- configuration ----
export type Enrichment = EnrichmentConfig;
export type ConsentState = Enrichment['consent'];
/** The consent state as the consent routes answer it: in local mode, also where requests are delivered. */
export type ConsentAnswer = ConsentState & {
  /** Local mode only: the local mailbox page (same origin), where the mailed requests can be read. */
  localMailboxUrl?: string;
};
export type Region = Enrichment['region'];
export type Cadence = Enrichment['schedule']['cadence'];

export type PrivacySettings = Enrichment['privacy'];

/** A person the tracked entries resolve to (the tracked-users route). */
export interface TrackedPerson {
  address: string;
  displayName: string | null;
  excluded: boolean;
}

export interface DraftAnswer {
  draft: EnrichmentDraft | null;
  updatedAt: string | null;
  updatedBy: Actor | null;
}

export interface SaveOutcome {
  enrichment: Enrichment;
  consentRequest: { sent: true; to: string } | { sent: false; error: string } | null;
}

export interface DirectoryMatch {
  kind: 'user' | 'group';
  id: string;
  displayName: string | null;
  address: string | null;
  /** What to add to the tracked entries. */
  entry: string;
}

// ---- datasets ----
export interface UploadedFile {
  name?: string;
  text: string;
}

export type DatasetUpload =
  { format: 'csv'; accounts: UploadedFile; contacts: UploadedFile } | { format: 'json'; file: UploadedFile };

// ---- runs and results ----
export type Run = z.output<typeof runSchema>;
export type RunStep = NonNullable<Run['progress']>['step'];
export type RunPage = z.output<typeof runPageSchema>;
export type ScheduleInfo = z.output<typeof scheduleInfoSchema>;
export type MailboxHealth = z.output<typeof mailboxHealthSchema>;
export type MailboxStatus = MailboxHealth['status'];
export type MailboxPage = z.output<typeof mailboxPageSchema>;
export type MailboxSummary = z.output<typeof mailboxSummarySchema>;
export type ResultsSummary = z.output<typeof summarySchema>;
export type ResultsHistory = z.output<typeof historySchema>;
export type RowPage = z.output<typeof rowPageSchema>;
export type AccountCard = z.output<typeof accountCardSchema>;
export type ScoreBand = AccountCard['band'];
export type AggregationLevel = EngagementRow['AggregationLevel'];

// ---- segments and measures ----
export type Segment = z.output<typeof segmentSchema>;
export type SegmentList = z.output<typeof segmentListSchema>;
export type SegmentPreview = z.output<typeof previewSchema>;
export type MemberPage = z.output<typeof memberPageSchema>;
export type Measures = z.output<typeof measuresSchema>;
export type { SegmentDefinition };

// ---- stale-account alerts ----
export type AlertPage = z.output<typeof alertPageSchema>;
export type Alert = AlertPage['alerts'][number];
export type AlertStatus = Alert['status'];
export type DeliveryStatus = Alert['delivery']['status'];
export type AlertSummary = z.output<typeof alertSummarySchema>;
