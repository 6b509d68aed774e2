import { z } from 'zod';
import { normaliseDomain, normaliseEmail } from '../engine/addresses';
import { MIN_TRACKED_USERS, type TrackedUser, type TrackedUsersResolution } from '../graph/tracked-users';

/**
 * An enrichment's privacy settings (docs/metrics.md, "Privacy"): whether private and confidential
 * meetings count, the addresses and domains that are never an account's person, and the tracked
 * mailboxes that are not read at all. The engine holds the rules; this is what the admin chose.
 */

/** Entries each exclusion list may hold. */
export const MAX_PRIVACY_ENTRIES = 1_000;
/** RFC 5321's longest address. */
const MAX_ADDRESS_LENGTH = 254;

const entryList = <T extends z.ZodType<string>>(field: string, entry: T) =>
  z
    .array(entry, { error: `${field} must be a list of text entries` })
    .max(
      MAX_PRIVACY_ENTRIES,
      `${field} may hold at most ${MAX_PRIVACY_ENTRIES.toLocaleString('en-US')} entries`,
    )
    .default([])
    .transform((entries) => [...new Set(entries)]);

const address = (fix: string) =>
  z
    .string({ error: `Each entry must be an email address: ${fix}` })
    .max(MAX_ADDRESS_LENGTH, `An email address has at most ${MAX_ADDRESS_LENGTH} characters`)
    .transform(normaliseEmail)
    .pipe(
      z.email({
        error: (issue) => `${JSON.stringify(issue.input)} is not an email address: ${fix}`,
      }),
    );

const domain = z
  .string({ error: 'Each entry must be a domain such as contoso.com' })
  .max(MAX_ADDRESS_LENGTH, `A domain has at most ${MAX_ADDRESS_LENGTH} characters`)
  .transform((raw, ctx) => {
    const normalised = normaliseDomain(raw);
    if (normalised === null) {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(raw)} is not a domain an organization owns: write one such as contoso.com (not a bare suffix such as com or co.uk)`,
      });
      return z.NEVER;
    }
    return normalised;
  });

export const privacySettingsSchema = z
  .object({
    /** Off by default: private and confidential meetings never count. */
    countPrivateMeetings: z.boolean({ error: 'countPrivateMeetings must be true or false' }).default(false),
    /** Never an account's person (lower-case). */
    excludedAddresses: entryList(
      'excludedAddresses',
      address('write it as name@example.com, or exclude its domain instead'),
    ),
    /** Never an account's person, subdomains included (normalised: contoso.com). */
    excludedDomains: entryList('excludedDomains', domain),
    /** Tracked users whose mailboxes are not read and who are not tracked users for any rule. */
    excludedMailboxes: entryList('excludedMailboxes', address("pick a tracked person's address")),
  })
  .strict()
  .prefault({});

export type PrivacySettings = z.output<typeof privacySettingsSchema>;

export const DEFAULT_PRIVACY: PrivacySettings = Object.freeze({
  countPrivateMeetings: false,
  excludedAddresses: [],
  excludedDomains: [],
  excludedMailboxes: [],
});

const addressesOf = (user: TrackedUser): string[] =>
  [user.address, user.mail, user.userPrincipalName].filter((a): a is string => !!a).map(normaliseEmail);

/** Whether a tracked user's mailbox is excluded: one of its addresses (mail, UPN) is on the list. */
export function excludedMailboxTest(privacy: PrivacySettings): (user: TrackedUser) => boolean {
  const excluded = new Set(privacy.excludedMailboxes.map(normaliseEmail));
  return (user) => addressesOf(user).some((a) => excluded.has(a));
}

/**
 * What is wrong with the excluded mailboxes against the tracked users they resolve to: each must be
 * a tracked user's, and at least MIN_TRACKED_USERS must stay tracked.
 */
export function excludedMailboxProblems(
  resolution: TrackedUsersResolution,
  excludedMailboxes: readonly string[],
): { field: string; message: string }[] {
  const field = 'privacy.excludedMailboxes';
  const privacy = { ...DEFAULT_PRIVACY, excludedMailboxes: excludedMailboxes.map(normaliseEmail) };
  const tracked = new Set(resolution.users.flatMap(addressesOf));
  const strangers = privacy.excludedMailboxes.filter((a) => !tracked.has(a));
  if (strangers.length > 0) {
    return strangers.map((address) => ({
      field,
      message: `${address} is not one of the tracked users: pick a tracked person, or remove it`,
    }));
  }
  const left = withoutExcludedMailboxes(resolution, privacy).users.length;
  return left < MIN_TRACKED_USERS
    ? [
        {
          field,
          message: `Excluding these mailboxes leaves ${left} tracked user${left === 1 ? '' : 's'}; at least ${MIN_TRACKED_USERS} must stay tracked`,
        },
      ]
    : [];
}

/** The tracked users without the excluded mailboxes: those are neither read nor tracked. */
export function withoutExcludedMailboxes(
  resolution: TrackedUsersResolution,
  privacy: PrivacySettings,
): TrackedUsersResolution {
  if (privacy.excludedMailboxes.length === 0) return resolution;
  const isExcluded = excludedMailboxTest(privacy);
  return { ...resolution, users: resolution.users.filter((u) => !isExcluded(u)) };
}
