/**
 * The metadata of one email or meeting as ingestion hands it to the engine.
 * Addresses are trimmed and lower-cased; instants are epoch milliseconds (UTC).
 * Nothing here may carry content (subject, body, preview, attachments).
 */
export interface EmailActivity {
  kind: 'email';
  /** internetMessageId, or the Graph id when internetMessageId is missing. */
  id: string;
  conversationId: string | null;
  isDraft: boolean;
  sent: number;
  from: string | null;
  /** to, cc and bcc recipients together. */
  recipients: string[];
}

/** Graph's event `sensitivity`. */
export type MeetingSensitivity = 'normal' | 'personal' | 'private' | 'confidential';

/** Sensitivities whose meetings count only when the admin turns on "count private meetings". */
export const PRIVATE_SENSITIVITIES: ReadonlySet<MeetingSensitivity> = new Set(['private', 'confidential']);

export interface MeetingActivity {
  kind: 'meeting';
  /** iCalUId: unique per occurrence. */
  id: string;
  isCancelled: boolean;
  isAllDay: boolean;
  /** Absent when Graph did not say (then it counts as `normal`). */
  sensitivity?: MeetingSensitivity;
  start: number;
  end: number;
  organizer: string | null;
  attendees: string[];
}

export type Activity = EmailActivity | MeetingActivity;
