import { randomUUID } from 'node:crypto';
import {
  DEFAULT_ENTITY_NAME,
  ENRICHMENT_TYPE,
  enrichmentConfigSchema,
  enrichmentDocumentId,
  NO_CONSENT,
  userEntityNameOf,
  type EnrichmentDocument,
} from '../core/config/enrichment-config';
import { importDataset } from '../core/datasets/dataset-library';
import {
  contributionUnits,
  DEFAULT_SETTINGS,
  EMAILS_FROM,
  EMAILS_TO,
  explainYearScores,
  MEETINGS,
  type EngagementRow,
  type SignalName,
} from '../core/engine';
import { historyPeriods } from '../core/conversation/history-series';
import { customerCards } from '../core/results/customer-card';
import type { CardScoreExplanation } from '../core/results/score-explanation';
import type { StoredEngagementRow } from '../core/results/stored-rows';
import type { StaleAlert } from '../core/store/alert-store';
import { AlertStore } from '../core/store/alert-store';
import { ConfigurationRepository } from '../core/store/configuration-repository';
import type { Containers } from '../core/store/containers';
import { ConversationRepository } from '../core/store/conversation-repository';
import { outputRowKey } from '../core/results/stored-rows';
import { ResultsRepository } from '../core/store/results-repository';

export const ENRICHMENT_ID = 'bench';
const WORDS = ['North', 'Blue', 'Summit', 'Cedar', 'Harbor', 'Atlas', 'Nova', 'Pioneer', 'Granite', 'Falcon'];
const KINDS = ['Systems', 'Traders', 'Logistics', 'Health', 'Labs', 'Foods', 'Partners', 'Energy'];
const SUFFIXES = ['Ltd', 'Inc.', 'GmbH', 'plc', 'LLC', 'SA'];

/** A distinct, realistic-looking name for account `i`. */
export function accountName(i: number): string {
  const word = WORDS[i % WORDS.length] ?? '';
  const kind = KINDS[Math.floor(i / WORDS.length) % KINDS.length] ?? '';
  return `${word} ${kind} ${i.toString(36).toUpperCase()} ${SUFFIXES[i % SUFFIXES.length] ?? ''}`;
}

export const accountId = (i: number) => `AC-${String(i + 1).padStart(7, '0')}`;

const DAY_MS = 86_400_000;

/** Two accounts in three have activity in the year; the others none. */
const isBusy = (i: number) => i % 3 !== 0;

/** Account i's emails to it, emails from it and meetings in the year (as its Year row counts them). */
function activity(i: number): { emailsTo: number; emailsFrom: number; meetings: number } {
  return isBusy(i)
    ? { emailsTo: 20 + (i % 200), emailsFrom: 10 + (i % 150), meetings: (i % 12) + (i % 5) }
    : { emailsTo: 0, emailsFrom: 0, meetings: 0 };
}

/** The risk signals of account i's Year row: Stale when quiet for 60+ days, and a few of the others. */
function signalsOf(i: number, year: StoredEngagementRow): SignalName[] {
  const quiet = Math.min(year.DaysSinceLastEmail ?? Infinity, year.DaysSinceLastMeeting ?? Infinity);
  const signals: SignalName[] = [];
  if (quiet > 60) signals.push('Stale');
  else if (i % 29 === 1) signals.push('Unanswered');
  if (year.NoOfAccountContactsInvolved_Emails === 1 && year.NoOfAccountContactsInvolved_Meetings <= 1) {
    signals.push('SingleThreaded');
  }
  if (quiet <= 60 && i % 13 === 2) signals.push('Cooling');
  return signals;
}

/**
 * Every account's score explanation, as finalise computes it from the Year raws by kind: each
 * kind's items spread over the year from the account's last one back, each counted
 * w × 0.5^(age / H) in raw units, then ranked against the other accounts by the engine itself.
 */
function explainScores(accounts: number): CardScoreExplanation[] {
  const { weights, halfLifeDays } = DEFAULT_SETTINGS;
  const kindUnits = new Float64Array(3 * accounts);
  const spread = (weight: number, count: number, lastDays: number) => {
    let units = 0;
    for (let k = 0; k < count; k++) {
      const ageDays = lastDays + (k * (365 - lastDays)) / count;
      units += contributionUnits(weight, ageDays * DAY_MS, halfLifeDays);
    }
    return units;
  };
  for (let i = 0; i < accounts; i++) {
    const { emailsTo, emailsFrom, meetings } = activity(i);
    // A fraction of a day apart, so accounts with the same counts do not tie as they rarely do in a run.
    const apart = (i * 0.618_034) % 1;
    kindUnits[3 * i + EMAILS_TO] = spread(weights.emailTo, emailsTo, (i % 90) + apart);
    kindUnits[3 * i + EMAILS_FROM] = spread(weights.emailFrom, emailsFrom, (i % 90) + 1);
    kindUnits[3 * i + MEETINGS] = spread(weights.meeting, meetings, i % 120);
  }
  return explainYearScores(kindUnits, DEFAULT_SETTINGS).map((explanation) => ({
    ...explanation,
    weights,
    halfLifeDays,
  }));
}

function yearRow(
  i: number,
  start: string,
  explanation: CardScoreExplanation | undefined,
): StoredEngagementRow {
  const busy = isBusy(i);
  const { emailsTo, emailsFrom } = activity(i);
  const row: StoredEngagementRow = {
    AccountId: accountId(i),
    AccountName: accountName(i),
    EngagementScore: explanation?.score ?? 0,
    NoOfEmails_ToAccount: emailsTo,
    NoOfEmails_FromAccount: emailsFrom,
    NoOfMeetings_ToAccount: busy ? i % 12 : 0,
    NoOfMeetings_FromAccount: busy ? i % 5 : 0,
    NoOfContactsInvolved_Emails: busy ? 1 + (i % 6) : 0,
    NoOfContactsInvolved_Meetings: busy ? i % 4 : 0,
    NoOfAccountContactsInvolved_Emails: busy ? 1 + (i % 9) : 0,
    NoOfAccountContactsInvolved_Meetings: busy ? i % 5 : 0,
    EngagementStartDate: busy ? start : null,
    DaysSinceLastEmail: busy ? i % 90 : null,
    DaysSinceLastMeeting: busy ? i % 120 : null,
    AverageDuration_Of_Meetings: busy ? 30 + (i % 31) : null,
    AverageDuration_Of_AccountEmailReplies: busy ? (i % 48) + 0.5 : null,
    AggregationStartDate: start,
    AggregationLevel: 'Year',
    PreviousEngagementScore: busy ? i % 100 : null,
    NextMeetingStart: null,
    NextMeetingEnd: null,
    TopEngagedUserEmail: busy ? `seller${i % 250}@fabrikam.com` : null,
  };
  return { ...row, Signals: signalsOf(i, row) };
}

function periodRow(
  year: StoredEngagementRow,
  level: 'Month' | 'Week',
  start: string,
  k: number,
): StoredEngagementRow {
  const row: EngagementRow = {
    ...year,
    NoOfEmails_ToAccount: (k * 7) % 13,
    NoOfEmails_FromAccount: (k * 5) % 11,
    NoOfMeetings_ToAccount: k % 3,
    NoOfMeetings_FromAccount: k % 2,
    AggregationStartDate: start,
    AggregationLevel: level,
  };
  return {
    ...row,
    PreviousEngagementScore: null,
    NextMeetingStart: null,
    NextMeetingEnd: null,
    TopEngagedUserEmail: null,
    Signals: null,
  };
}

export interface SeedOptions {
  containers: Containers;
  tenantId: string;
  accounts: number;
  /** Accounts that also get Month and Week history rows. */
  historyAccounts: number;
  asOf: string;
  log(line: string): void;
}

/**
 * A tenant as a run leaves it: a customer dataset of `accounts` accounts, an enrichment with
 * consent, and a published run whose Year rows cover every account (and the history of some).
 */
export async function seedTenant(options: SeedOptions): Promise<void> {
  const { containers, tenantId } = options;
  const at = new Date().toISOString();
  const admin = { userId: 'bench', email: 'admin@fabrikam.com', name: 'Benchmark' };
  const accounts = Array.from({ length: options.accounts }, (_, i) => ({
    AccountId: accountId(i),
    Name: accountName(i),
    OwnerEmail: `seller${i % 250}@fabrikam.com`,
  }));
  const contacts = accounts.map((a, i) => ({
    ContactId: `C-${i}`,
    AccountId: a.AccountId,
    Email: `buyer${i}@customer${i}.example`,
  }));
  const started = Date.now();
  await importDataset(
    { containers, tenantId, now: () => Date.now() },
    {
      datasetId: 'bench-customers',
      name: 'Benchmark customers',
      upload: {
        format: 'json',
        file: { name: 'customers.json', text: JSON.stringify({ accounts, contacts }) },
      },
      importedBy: admin,
      create: false,
    },
  );
  options.log(
    `  customer dataset of ${accounts.length.toLocaleString('en-US')} accounts imported in ${Date.now() - started} ms`,
  );

  const config = enrichmentConfigSchema.parse({
    tenantId,
    enrichmentId: ENRICHMENT_ID,
    version: 1,
    name: 'Benchmark',
    entityName: DEFAULT_ENTITY_NAME,
    userEntityName: userEntityNameOf(DEFAULT_ENTITY_NAME),
    tracked: ['ana@fabrikam.com', 'ben@fabrikam.com'],
    consentStatement: { accepted: true, acceptedAt: at, acceptedBy: admin },
    datasetId: 'bench-customers',
    mapping: { emailField: 'Email', domainField: null, ownerField: 'OwnerEmail' },
    engagement: DEFAULT_SETTINGS,
    staleThresholdDays: 60,
    schedule: {},
    region: 'europe',
    trackedSummary: { resolvedUsers: 2, groups: 0, unknown: [], resolvedAt: at },
    consent: { ...NO_CONSENT, status: 'granted', grantedAt: at, grantedTenantId: tenantId },
    createdAt: at,
    createdBy: admin,
    updatedAt: at,
    updatedBy: admin,
  });
  const document: EnrichmentDocument = {
    ...config,
    id: enrichmentDocumentId(ENRICHMENT_ID),
    type: ENRICHMENT_TYPE,
  };
  await new ConfigurationRepository(containers.configurations, tenantId).upsert(document);

  // Published first, while the entity has no rows (publishing removes other runs' rows, which is
  // a query the embedded store takes long over a large partition); the rows then appear under it.
  const runId = randomUUID();
  await new ResultsRepository(containers.results, tenantId).publish(DEFAULT_ENTITY_NAME, {
    runId,
    asOf: options.asOf,
    publishedAt: at,
    rowCount: options.accounts,
    accountCount: options.accounts,
  });
  await writeRun(options, runId);
}

/**
 * Writes a run's rows and customer cards under `runId`, as a run does before it is published: the
 * cards with their signals and score explanations, so they are as large as a real run's.
 */
export async function writeRun(options: SeedOptions, runId: string): Promise<void> {
  const results = new ResultsRepository(options.containers.results, options.tenantId);
  const started = Date.now();
  const explained = explainScores(options.accounts);
  const windowStart = new Date(Date.parse(options.asOf) - 365 * 86_400_000).toISOString();
  const months = historyPeriods(options.asOf, 'Month');
  const weeks = historyPeriods(options.asOf, 'Week');
  const BATCH = 5_000;
  let written = 0;
  for (let from = 0; from < options.accounts; from += BATCH) {
    const rows: StoredEngagementRow[] = [];
    const explanations = new Map<string, CardScoreExplanation>();
    for (let i = from; i < Math.min(options.accounts, from + BATCH); i++) {
      const explanation = explained[i];
      const year = yearRow(i, windowStart, explanation);
      if (explanation) explanations.set(year.AccountId, explanation);
      rows.push(year);
      if (i < options.historyAccounts && isBusy(i)) {
        months.forEach((start, k) => rows.push(periodRow(year, 'Month', start, k + i)));
        weeks.forEach((start, k) => rows.push(periodRow(year, 'Week', start, k + i)));
      }
    }
    await results.writeRows(DEFAULT_ENTITY_NAME, runId, rows, outputRowKey);
    await results.writeCards(DEFAULT_ENTITY_NAME, runId, customerCards(rows, options.asOf, explanations));
    written += rows.length;
  }
  options.log(
    `  ${written.toLocaleString('en-US')} rows and ${options.accounts.toLocaleString('en-US')} customer cards written in ${Date.now() - started} ms`,
  );
}

/** Owners with the app installed (references to `serviceUrl`) and `count` open alerts among them. */
export async function seedAlerts(
  containers: Containers,
  tenantId: string,
  serviceUrl: string,
  count: number,
  owners: number,
): Promise<void> {
  const conversations = new ConversationRepository(containers.conversations, tenantId);
  for (let o = 0; o < owners; o++) {
    const email = `owner${o}@fabrikam.com`;
    await conversations.savePersonal(
      {
        userId: `owner-${o}`,
        email,
        name: `Owner ${o}`,
        reference: {
          channelId: 'msteams',
          serviceUrl,
          conversation: { id: `a:owner-${o}`, conversationType: 'personal', tenantId },
          bot: { id: '28:bench-bot', name: 'Account engagement' },
          user: { id: `29:owner-${o}`, name: `Owner ${o}` },
        },
      },
      Date.now(),
    );
  }
  const at = new Date().toISOString();
  const alerts: StaleAlert[] = Array.from({ length: count }, (_, i) => ({
    alertId: `bench-alert-${i}`,
    enrichmentId: ENRICHMENT_ID,
    entityName: DEFAULT_ENTITY_NAME,
    accountId: accountId(i),
    accountName: accountName(i),
    episodeRunId: 'bench-run',
    staleSince: at,
    runId: 'bench-run',
    asOf: at,
    createdAt: at,
    thresholdDays: 60,
    daysSinceLastEmail: 61 + (i % 30),
    daysSinceLastMeeting: null,
    engagementScore: i % 40,
    owner: { email: `owner${i % owners}@fabrikam.com`, source: 'owner-field' },
    ownerReason: null,
    status: 'open',
    closedAt: null,
    closedBy: null,
    delivery: { status: 'pending', attempts: 0 },
  }));
  await new AlertStore(containers.alerts, tenantId).createAlerts(alerts);
}
