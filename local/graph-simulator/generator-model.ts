/**
 * The generated tenant's plan: who works on which account, how active each account is, which
 * colleagues mail each other. Activity itself is derived from the plan on demand (activity-streams.ts).
 */

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

/** A mail or meeting participant; `userId` is set for the tenant's own users (they have a mailbox). */
export interface Person {
  readonly name: string;
  readonly address: string;
  readonly userId: string | null;
}

export type ActivityProfile = 'busy' | 'active' | 'quiet' | 'stale' | 'silent';

export interface AccountPlan {
  readonly index: number;
  readonly accountId: string;
  readonly name: string;
  /** The account's mail domain (contacts and unlisted colleagues use it). */
  readonly mailDomain: string;
  /** The domain listed in the customer dataset ('' when the dataset has none for this account). */
  readonly listedDomain: string;
  /** The owner's sales region ('Americas', 'EMEA', 'Partners'): the account's customer folder group. */
  readonly region: string;
  readonly owner: Person;
  readonly coSeller: Person | null;
  readonly engineer: Person | null;
  readonly manager: Person;
  readonly contacts: readonly Person[];
  readonly profile: ActivityProfile;
  readonly weight: number;
  /** Activity happens in [activeFrom, activeUntil) (epoch ms). */
  readonly activeFrom: number;
  readonly activeUntil: number;
  expectedThreads: number;
  expectedMeetings: number;
  readonly hasSeries: boolean;
  readonly hasFutureMeeting: boolean;
  /**
   * When set (epoch ms, 31 to 42 days before asOf), the account's people write nothing from then on
   * and meet no one, while its owner keeps writing to them (activity-streams.ts, `goneQuiet`).
   */
  readonly unansweredSince: number | null;
}

export interface PairPlan {
  readonly key: string;
  readonly a: Person;
  readonly b: Person;
  readonly kind: 'peer' | 'manager';
  readonly expectedThreads: number;
}

export interface TenantModel {
  readonly seed: string;
  readonly asOf: number;
  /** Earliest generated activity: a little before the one-year window, so window filtering matters. */
  readonly dataStart: number;
  readonly accounts: readonly AccountPlan[];
  readonly pairs: readonly PairPlan[];
  readonly accountsByMember: ReadonlyMap<string, readonly number[]>;
  readonly pairsByUser: ReadonlyMap<string, readonly number[]>;
  readonly people: ReadonlyMap<string, Person>;
  readonly noisePerMailbox: number;
  /** hashString(seed): mixed into per-message choices (folders, busy-inbox noise). */
  readonly seedHash: number;
  /** Sellers with a busy inbox, and how many noise messages their inbox gets inside the window. */
  readonly busyInboxes: ReadonlyMap<string, number>;
}

/** One sent (or drafted) email, before it is copied into the mailboxes that hold it. */
export interface LogicalMail {
  readonly key: string;
  /** hashString(key), computed once and shared by every copy. */
  readonly hash: number;
  readonly conversationId: string;
  readonly sent: number;
  readonly from: Person;
  readonly to: readonly Person[];
  readonly cc: readonly Person[];
  readonly bcc: readonly Person[];
  readonly subject: string;
  readonly isDraft: boolean;
}

export interface MeetingAttendee {
  readonly person: Person;
  readonly type: 'required' | 'optional';
}

/** One meeting occurrence, before it is copied into the calendars that hold it. */
export interface LogicalMeeting {
  readonly key: string;
  /** hashString(key), computed once and shared by every copy. */
  readonly hash: number;
  readonly iCalUId: string;
  readonly seriesKey: string | null;
  readonly type: 'singleInstance' | 'occurrence' | 'exception';
  readonly start: number;
  readonly end: number;
  readonly isAllDay: boolean;
  readonly isCancelled: boolean;
  /** Graph's `sensitivity`, the same in every calendar that holds the meeting. */
  readonly sensitivity: 'normal' | 'personal' | 'private' | 'confidential';
  readonly organizer: Person;
  readonly attendees: readonly MeetingAttendee[];
  readonly subject: string;
}

export interface Activity {
  readonly mails: LogicalMail[];
  readonly meetings: LogicalMeeting[];
}
