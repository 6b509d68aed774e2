import { z } from 'zod';
import { AGGREGATION_LEVELS } from './periods.ts';

const count = z.number().int().nonnegative();
const instant = z.iso.datetime();

/**
 * One row of the output entity (`Office` by default): one account, one aggregation level, one
 * period. Instants are ISO 8601 UTC strings (`2026-03-01T00:00:00.000Z`). See docs/metrics.md.
 */
export const engagementRowSchema = z
  .object({
    AccountId: z.string(),
    AccountName: z.string(),
    EngagementScore: z.number().int().min(0).max(100),
    NoOfEmails_ToAccount: count,
    NoOfEmails_FromAccount: count,
    NoOfMeetings_ToAccount: count,
    NoOfMeetings_FromAccount: count,
    NoOfContactsInvolved_Emails: count,
    NoOfContactsInvolved_Meetings: count,
    NoOfAccountContactsInvolved_Emails: count,
    NoOfAccountContactsInvolved_Meetings: count,
    EngagementStartDate: instant.nullable(),
    DaysSinceLastEmail: count.nullable(),
    DaysSinceLastMeeting: count.nullable(),
    /** Minutes. */
    AverageDuration_Of_Meetings: z.number().nonnegative().nullable(),
    /** Hours. */
    AverageDuration_Of_AccountEmailReplies: z.number().nonnegative().nullable(),
    AggregationStartDate: instant,
    AggregationLevel: z.enum(AGGREGATION_LEVELS),
  })
  .strict();

export type EngagementRow = z.infer<typeof engagementRowSchema>;

/** One row of `<output entity name>_UserEntity`: a tracked user. */
export const userEntityRowSchema = z
  .object({
    /** Entra object id. */
    UserId: z.string().min(1),
    Email: z.string(),
    DisplayName: z.string(),
    /** The groups the user was resolved through (empty when listed only directly). */
    Groups: z.array(z.object({ GroupId: z.string().min(1), DisplayName: z.string() }).strict()),
    /** True when the admin listed the user's address directly. */
    ListedDirectly: z.boolean(),
  })
  .strict();

export type UserEntityRow = z.infer<typeof userEntityRowSchema>;

/** Next meeting per account (start ≥ T): shown on the card, never counted. */
export const nextMeetingSchema = z.object({ AccountId: z.string(), Start: instant, End: instant }).strict();

export type NextMeeting = z.infer<typeof nextMeetingSchema>;
