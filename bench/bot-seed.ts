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
import { DEFAULT_SETTINGS, type EngagementRow } from '../core/engine';
import { historyPeriods } from '../core/conversation/history-series';
import { customerCards } from '../core/results/customer-card';
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

function yearRow(i: number, start: string): StoredEngagementRow {
  const busy = i % 3 !== 0;
  return {
    AccountId: accountId(i),
    AccountName: accountName(i),
    EngagementScore: busy ? 1 + (i % 100) : 0,
    NoOfEmails_ToAccount: busy ? 20 + (i % 200) : 0,
    NoOfEmails_FromAccount: busy ? 10 + (i % 150) : 0,
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

/** Writes a run's rows and customer cards under `runId`, as a run does before it is published. */
export async function writeRun(options: SeedOptions, runId: string): Promise<void> {
  const results = new ResultsRepository(options.containers.results, options.tenantId);
  const started = Date.now();
  const windowStart = new Date(Date.parse(options.asOf) - 365 * 86_400_000).toISOString();
  const months = historyPeriods(options.asOf, 'Month');
  const weeks = historyPeriods(options.asOf, 'Week');
  const BATCH = 5_000;
  let written = 0;
  for (let from = 0; from < options.accounts; from += BATCH) {
    const rows: StoredEngagementRow[] = [];
    for (let i = from; i < Math.min(options.accounts, from + BATCH); i++) {
      const year = yearRow(i, windowStart);
      rows.push(year);
      if (i < options.historyAccounts && year.EngagementScore > 0) {
        months.forEach((start, k) => rows.push(periodRow(year, 'Month', start, k + i)));
        weeks.forEach((start, k) => rows.push(periodRow(year, 'Week', start, k + i)));
      }
    }
    await results.writeRows(DEFAULT_ENTITY_NAME, runId, rows, outputRowKey);
    await results.writeCards(DEFAULT_ENTITY_NAME, runId, customerCards(rows, options.asOf));
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
