/**
 * Shared fixtures for the engine tests (the file also checks the fixtures themselves).
 *
 * The default run: T = 2025-06-15T12:00:00Z (a Sunday), window [2024-06-15T12:00Z, T).
 * Org domain fabrikam.com; tracked users ana (U1, two addresses) and ben (U2).
 * Accounts:
 *   A1 Contoso     contacts bob@, carol@contoso.com, pat@advisors.net; domain contoso.com
 *   A2 Northwind   contacts nina@northwind.io, pat@advisors.net, zed@contoso.com; domain northwind.io
 *   A3 Solo        contact sam.solo@gmail.com; domain gmail.com (public: never matched by domain)
 *   A4 Quiet       no contacts, domain fabrikam.com (the org's own: never matched by domain)
 */
import assert from 'node:assert/strict';
import {
  Aggregator,
  buildAccountDirectory,
  buildTrackedUsers,
  createEngineContext,
  finaliseEngagement,
  type AccountInput,
  type Activity,
  type EmailActivity,
  type EngagementResult,
  type EngagementRow,
  type EngagementSettings,
  type EngineContext,
  type MeetingActivity,
} from '../../core/engine/index.ts';
import { foldInto } from '../support/fold-activities.ts';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
export const T = Date.UTC(2025, 5, 15, 12, 0, 0);
export const WINDOW_START = T - 365 * DAY;

export const ACCOUNTS: AccountInput[] = [
  {
    id: 'A1',
    name: 'Contoso',
    contactEmails: ['Bob@Contoso.com ', 'carol@contoso.com', 'pat@advisors.net'],
    domains: ['contoso.com'],
  },
  {
    id: 'A2',
    name: 'Northwind',
    contactEmails: ['nina@northwind.io', 'PAT@advisors.net', 'zed@contoso.com'],
    domains: ['https://www.northwind.io/'],
  },
  { id: 'A3', name: 'Solo', contactEmails: ['sam.solo@gmail.com'], domains: ['gmail.com'] },
  { id: 'A4', name: 'Quiet', contactEmails: [], domains: ['fabrikam.com'] },
];

export const TRACKED: [string, string][] = [
  ['ana@fabrikam.com', 'U1'],
  ['ana.diaz@fabrikam.com', 'U1'],
  ['ben@fabrikam.com', 'U2'],
];

export interface ContextOptions {
  accounts?: AccountInput[];
  orgDomains?: string[];
  tracked?: [string, string][];
  asOf?: number;
  excludedAddresses?: string[];
  excludedDomains?: string[];
  countPrivateMeetings?: boolean;
}

export function makeContext(options: ContextOptions = {}): EngineContext {
  return createEngineContext({
    directory: buildAccountDirectory({
      accounts: options.accounts ?? ACCOUNTS,
      orgDomains: options.orgDomains ?? ['fabrikam.com'],
      excludedAddresses: options.excludedAddresses,
      excludedDomains: options.excludedDomains,
    }),
    tracked: buildTrackedUsers(options.tracked ?? TRACKED),
    asOf: options.asOf ?? T,
    countPrivateMeetings: options.countPrivateMeetings,
  });
}

export const CONTEXT = makeContext();

let sequence = 0;

export function email(
  fields: Partial<EmailActivity> & { from: string | null; to: string[]; at: number },
): EmailActivity {
  const { to, at, ...rest } = fields;
  return {
    kind: 'email',
    id: `<m${++sequence}@test>`,
    conversationId: null,
    isDraft: false,
    sent: at,
    recipients: to,
    ...rest,
  };
}

export function meeting(
  fields: Partial<MeetingActivity> & {
    organizer: string | null;
    attendees: string[];
    at: number;
    minutes?: number;
  },
): MeetingActivity {
  const { at, minutes, ...rest } = fields;
  return {
    kind: 'meeting',
    id: `040000008200E001-${++sequence}`,
    isCancelled: false,
    isAllDay: false,
    start: at,
    end: at + (minutes ?? 30) * MINUTE,
    ...rest,
  };
}

/** One pass over the activities, finalised. */
export function run(
  activities: Activity[],
  context: EngineContext = CONTEXT,
  settings?: EngagementSettings,
): EngagementResult {
  const agg = foldInto(new Aggregator(context), activities);
  return finaliseEngagement(agg, settings);
}

/** The row of an account at a level (and period start, for Month and Week). */
export function rowOf(
  result: EngagementResult,
  accountId: string,
  level: 'Year' | 'Month' | 'Week' = 'Year',
  start?: string,
): EngagementRow {
  const row = result.rows.find(
    (r) =>
      r.AccountId === accountId &&
      r.AggregationLevel === level &&
      (start === undefined || r.AggregationStartDate === start),
  );
  assert.ok(row, `no ${level} row for ${accountId}${start ? ` starting ${start}` : ''}`);
  return row;
}

export function rowsOf(
  result: EngagementResult,
  accountId: string,
  level: 'Year' | 'Month' | 'Week',
): EngagementRow[] {
  return result.rows.filter((r) => r.AccountId === accountId && r.AggregationLevel === level);
}

describe('engine test fixtures', () => {
  it('build a context whose window ends at T and starts 365 days earlier', () => {
    assert.equal(CONTEXT.window.asOf, T);
    assert.equal(CONTEXT.window.start, Date.UTC(2024, 5, 15, 12, 0, 0));
    assert.equal(CONTEXT.directory.size, 4);
    assert.equal(CONTEXT.tracked.size, 2);
  });

  it('give every activity a fresh id', () => {
    const a = email({ from: 'ana@fabrikam.com', to: ['bob@contoso.com'], at: T - DAY });
    const b = email({ from: 'ana@fabrikam.com', to: ['bob@contoso.com'], at: T - DAY });
    assert.notEqual(a.id, b.id);
  });
});
