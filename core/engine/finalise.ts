import type { AggregateView, Aggregator } from './aggregator.ts';
import { CANCELLED, MEETING } from './item-table.ts';
import { DAY_MS, MINUTE_MS, type PeriodGrid } from './periods.ts';
import { replyTimes, type ItemPairs } from './replies.ts';
import type { EngagementRow, NextMeeting } from './rows.ts';
import { FROM_ACCOUNT, itemUnits, RAW_UNITS, scorePeriod, TO_ACCOUNT } from './score.ts';
import { DEFAULT_SETTINGS, type EngagementSettings } from './settings.ts';

const TWO_32 = 4294967296;
const HOUR_MS = 3_600_000;
const NO_ACCOUNTS: readonly number[] = [];

/** Run-level figures (no individual-level data). */
export interface EngagementTotals {
  asOf: string;
  windowStart: string;
  /** Email and meeting copies read from the mailboxes, before deduplication and filtering. */
  emailsRead: number;
  meetingsRead: number;
  /** Distinct emails / meetings that counted for at least one account. */
  emailsCounted: number;
  meetingsCounted: number;
  /** Accounts in the dataset, and those with counted activity in the window. */
  accounts: number;
  accountsEngaged: number;
}

export interface EngagementResult {
  /** Per account (AccountId order): the Year row, then Month rows, then Week rows, each by start. */
  rows: EngagementRow[];
  /**
   * The raw score behind each row's EngagementScore (same order as rows), in weight points:
   * Σ w × 0.5^(age / H). Not persisted; useful to explain a score.
   */
  rawScores: number[];
  /** One per account that has a meeting starting at or after T (AccountId order). */
  nextMeetings: NextMeeting[];
  totals: EngagementTotals;
}

function iso(t: number): string {
  return new Date(t).toISOString();
}

/** Accumulates one account's row of one level, one period at a time. */
class PeriodRow {
  readonly grid: PeriodGrid;
  readonly usersEmails: Int32Array;
  readonly usersMeetings: Int32Array;
  readonly personsEmails: Int32Array;
  readonly personsMeetings: Int32Array;
  ptr = 0;
  period = -1;
  serial = 0;
  emailsTo = 0;
  emailsFrom = 0;
  meetingsTo = 0;
  meetingsFrom = 0;
  nUsersEmails = 0;
  nUsersMeetings = 0;
  nPersonsEmails = 0;
  nPersonsMeetings = 0;
  first = Infinity;
  lastEmail = -Infinity;
  lastMeeting = -Infinity;
  meetings = 0;
  durationSum = 0;
  replies = 0;
  replySum = 0;
  raw = 0;
  /** Rows of the current account finished at this level, with their raw value and period. */
  readonly done: { row: EngagementRow; raw: number; period: number }[] = [];

  constructor(grid: PeriodGrid, users: number, addresses: number) {
    this.grid = grid;
    this.usersEmails = new Int32Array(users).fill(-1);
    this.usersMeetings = new Int32Array(users).fill(-1);
    this.personsEmails = new Int32Array(addresses).fill(-1);
    this.personsMeetings = new Int32Array(addresses).fill(-1);
  }

  open(period: number, serial: number): void {
    this.period = period;
    this.serial = serial;
    this.emailsTo = this.emailsFrom = this.meetingsTo = this.meetingsFrom = 0;
    this.nUsersEmails = this.nUsersMeetings = this.nPersonsEmails = this.nPersonsMeetings = 0;
    this.first = Infinity;
    this.lastEmail = this.lastMeeting = -Infinity;
    this.meetings = this.durationSum = this.replies = this.replySum = this.raw = 0;
  }

  /** Finishes the open period (if any) into `done`. */
  flush(accountId: string, accountName: string): void {
    if (this.period < 0) return;
    this.done.push({ row: this.toRow(accountId, accountName), raw: this.raw, period: this.period });
    this.period = -1;
  }

  get end(): number {
    return this.grid.ends[this.period] ?? 0;
  }

  toRow(accountId: string, accountName: string): EngagementRow {
    const end = this.end;
    return {
      AccountId: accountId,
      AccountName: accountName,
      EngagementScore: 0,
      NoOfEmails_ToAccount: this.emailsTo,
      NoOfEmails_FromAccount: this.emailsFrom,
      NoOfMeetings_ToAccount: this.meetingsTo,
      NoOfMeetings_FromAccount: this.meetingsFrom,
      NoOfContactsInvolved_Emails: this.nUsersEmails,
      NoOfContactsInvolved_Meetings: this.nUsersMeetings,
      NoOfAccountContactsInvolved_Emails: this.nPersonsEmails,
      NoOfAccountContactsInvolved_Meetings: this.nPersonsMeetings,
      EngagementStartDate: Number.isFinite(this.first) ? iso(this.first) : null,
      DaysSinceLastEmail: Number.isFinite(this.lastEmail)
        ? Math.floor((end - this.lastEmail) / DAY_MS)
        : null,
      DaysSinceLastMeeting: Number.isFinite(this.lastMeeting)
        ? Math.floor((end - this.lastMeeting) / DAY_MS)
        : null,
      AverageDuration_Of_Meetings: this.meetings > 0 ? this.durationSum / this.meetings / MINUTE_MS : null,
      AverageDuration_Of_AccountEmailReplies:
        this.replies > 0 ? this.replySum / this.replies / HOUR_MS : null,
      AggregationStartDate: iso(this.grid.starts[this.period] ?? 0),
      AggregationLevel: this.grid.level,
    };
  }
}

/**
 * Final rows from a (merged) partial aggregate: every account's Year row, Month and Week rows for
 * the periods with counted activity, scores ranked per period, and the next meeting per account.
 * Pure: the aggregate is not changed and can be finalised again (for example with other settings).
 */
export function finaliseEngagement(
  aggregate: Aggregator,
  settings: EngagementSettings = DEFAULT_SETTINGS,
): EngagementResult {
  return finaliseView(aggregate.view(), settings);
}

function finaliseView(v: AggregateView, settings: EngagementSettings): EngagementResult {
  const { window, directory, tracked } = v.context;
  const { items, addressUser, addressAccounts } = v;
  const start = window.start;
  const asOf = window.asOf;
  const nAccounts = directory.size;

  // Which accounts, in which direction, an item counts for (union of the copies' participants).
  const touched = new Int32Array(nAccounts);
  const dirOf = new Uint8Array(nAccounts);
  let nTouched = 0;
  const directions = (r: number): void => {
    for (let i = 0; i < nTouched; i++) dirOf[touched[i] ?? 0] = 0;
    nTouched = 0;
    const s = items.sender[r] ?? -1;
    if (s < 0) return;
    const off = items.partOff[r] ?? 0;
    const end = off + (items.partLen[r] ?? 0);
    if ((addressUser[s] ?? -1) >= 0) {
      for (let i = off; i < end; i++) {
        for (const a of addressAccounts[items.pool[i] ?? 0] ?? []) {
          if (dirOf[a] === 0) touched[nTouched++] = a;
          dirOf[a] = (dirOf[a] ?? 0) | TO_ACCOUNT;
        }
      }
    }
    const senderAccounts = addressAccounts[s] ?? [];
    if (senderAccounts.length > 0) {
      let anyTracked = false;
      for (let i = off; i < end && !anyTracked; i++)
        anyTracked = (addressUser[items.pool[i] ?? 0] ?? -1) >= 0;
      if (anyTracked) {
        for (const a of senderAccounts) {
          if (dirOf[a] === 0) touched[nTouched++] = a;
          dirOf[a] = (dirOf[a] ?? 0) | FROM_ACCOUNT;
        }
      }
    }
  };

  // 1. Counted items of the window in time order (minute buckets from a UTC midnight keep every
  //    period boundary between buckets; the row index rides in the low 32 bits).
  const keys = new Float64Array(items.size);
  let nKeys = 0;
  for (let r = 0; r < items.size; r++) {
    const t = items.time[r] ?? 0;
    if (((items.flags[r] ?? 0) & CANCELLED) !== 0 || !(t >= start && t < asOf)) continue;
    keys[nKeys++] = Math.floor((t - window.minuteOrigin) / MINUTE_MS) * TWO_32 + r;
  }
  const order = keys.subarray(0, nKeys).sort();

  // 2. (item, account, direction) pairs, grouped by item, items in time order.
  const pairStart = new Int32Array(items.size).fill(-1);
  const pairEnd = new Int32Array(items.size).fill(-1);
  const pairRow: number[] = [];
  const pairAccount: number[] = [];
  const pairDir: number[] = [];
  let emailsCounted = 0;
  let meetingsCounted = 0;
  for (const key of order) {
    const r = key % TWO_32;
    directions(r);
    if (nTouched === 0) continue;
    if (((items.flags[r] ?? 0) & MEETING) !== 0) meetingsCounted++;
    else emailsCounted++;
    pairStart[r] = pairRow.length;
    for (let i = 0; i < nTouched; i++) {
      const a = touched[i] ?? 0;
      pairRow.push(r);
      pairAccount.push(a);
      pairDir.push(dirOf[a] ?? 0);
    }
    pairEnd[r] = pairRow.length;
  }
  const pairs: ItemPairs = {
    start: pairStart,
    end: pairEnd,
    account: Int32Array.from(pairAccount),
    dir: Uint8Array.from(pairDir),
    count: pairRow.length,
  };

  // 3. Reply times per From-account pair.
  const reply = replyTimes(items, v.replyCandidates, pairs);

  // 4. Pairs grouped by account (stable: time order kept).
  const accountStart = new Int32Array(nAccounts + 1);
  for (let j = 0; j < pairs.count; j++) {
    const next = (pairs.account[j] ?? 0) + 1;
    accountStart[next] = (accountStart[next] ?? 0) + 1;
  }
  for (let a = 0; a < nAccounts; a++)
    accountStart[a + 1] = (accountStart[a + 1] ?? 0) + (accountStart[a] ?? 0);
  const fill = accountStart.slice(0, nAccounts);
  const byAccount = new Int32Array(pairs.count);
  for (let j = 0; j < pairs.count; j++) {
    const a = pairs.account[j] ?? 0;
    byAccount[fill[a] ?? 0] = j;
    fill[a] = (fill[a] ?? 0) + 1;
  }

  // 5. Rows: walk each account's pairs once, all three levels side by side.
  const levels = window.grids.map((g) => new PeriodRow(g, tracked.size, v.addresses.length));
  const rows: EngagementRow[] = [];
  const raws: number[] = [];
  const groups = window.grids.map((g) => Array.from({ length: g.starts.length }, (): number[] => []));
  let serial = 0;
  let accountsEngaged = 0;

  for (let a = 0; a < nAccounts; a++) {
    const account = directory.accounts[a];
    if (account === undefined) continue;
    for (const L of levels) {
      L.ptr = 0;
      L.period = -1;
    }
    const from = accountStart[a] ?? 0;
    const to = accountStart[a + 1] ?? 0;
    if (to > from) accountsEngaged++;
    for (let k = from; k < to; k++) {
      const j = byAccount[k] ?? 0;
      const r = pairRow[j] ?? 0;
      const dir = pairs.dir[j] ?? 0;
      const t = items.time[r] ?? 0;
      const meeting = ((items.flags[r] ?? 0) & MEETING) !== 0;
      const s = items.sender[r] ?? 0;
      const off = items.partOff[r] ?? 0;
      const end = off + (items.partLen[r] ?? 0);
      for (const L of levels) {
        while (t >= (L.grid.ends[L.ptr] ?? Infinity)) L.ptr++;
        if (L.ptr !== L.period) {
          L.flush(account.id, account.name);
          L.open(L.ptr, ++serial);
        }
        L.raw += itemUnits(meeting, dir, L.end - t, settings);
        if (t < L.first) L.first = t;
        const users = meeting ? L.usersMeetings : L.usersEmails;
        const persons = meeting ? L.personsMeetings : L.personsEmails;
        let newUsers = 0;
        let newPersons = 0;
        for (let i = off - 1; i < end; i++) {
          const p = i < off ? s : (items.pool[i] ?? 0);
          const u = addressUser[p] ?? -1;
          if (u >= 0 && users[u] !== L.serial) {
            users[u] = L.serial;
            newUsers++;
          }
          if (persons[p] !== L.serial && (addressAccounts[p] ?? NO_ACCOUNTS).includes(a)) {
            persons[p] = L.serial;
            newPersons++;
          }
        }
        if (meeting) {
          if ((dir & TO_ACCOUNT) !== 0) L.meetingsTo++;
          if ((dir & FROM_ACCOUNT) !== 0) L.meetingsFrom++;
          L.meetings++;
          L.durationSum += Math.max(0, (items.aux[r] ?? t) - t);
          if (t > L.lastMeeting) L.lastMeeting = t;
          L.nUsersMeetings += newUsers;
          L.nPersonsMeetings += newPersons;
        } else {
          if ((dir & TO_ACCOUNT) !== 0) L.emailsTo++;
          if ((dir & FROM_ACCOUNT) !== 0) L.emailsFrom++;
          const ms = reply[j] ?? NaN;
          if (!Number.isNaN(ms)) {
            L.replies++;
            L.replySum += ms;
          }
          if (t > L.lastEmail) L.lastEmail = t;
          L.nUsersEmails += newUsers;
          L.nPersonsEmails += newPersons;
        }
      }
    }
    for (const L of levels) L.flush(account.id, account.name);
    const year = levels[0];
    if (year !== undefined && year.done.length === 0) {
      // The Year row exists for every account of the dataset.
      year.open(0, ++serial);
      year.flush(account.id, account.name);
    }
    levels.forEach((L, li) => {
      for (const { row, raw, period } of L.done) {
        groups[li]?.[period]?.push(rows.length);
        rows.push(row);
        raws.push(raw);
      }
      L.done.length = 0;
    });
  }

  // 6. Scores: percentile rank among the accounts with raw > 0 in the same level and period.
  for (const level of groups) {
    for (const members of level) {
      if (members.length === 0) continue;
      const scores = scorePeriod(members.map((i) => raws[i] ?? 0));
      members.forEach((i, k) => {
        const row = rows[i];
        if (row !== undefined) row.EngagementScore = scores[k] ?? 0;
      });
    }
  }

  // 7. Next meeting per account: earliest (start, then id hash) non-cancelled meeting at or after T.
  const nextStart = new Float64Array(nAccounts).fill(Infinity);
  const nextEnd = new Float64Array(nAccounts);
  const nextHash = new Float64Array(nAccounts);
  for (let r = 0; r < items.size; r++) {
    const flags = items.flags[r] ?? 0;
    const t = items.time[r] ?? 0;
    if ((flags & MEETING) === 0 || (flags & CANCELLED) !== 0 || !(t >= asOf)) continue;
    directions(r);
    const h = items.hash[r] ?? 0;
    for (let i = 0; i < nTouched; i++) {
      const a = touched[i] ?? 0;
      const best = nextStart[a] ?? Infinity;
      if (t < best || (t === best && h < (nextHash[a] ?? 0))) {
        nextStart[a] = t;
        nextEnd[a] = items.aux[r] ?? t;
        nextHash[a] = h;
      }
    }
  }
  const nextMeetings: NextMeeting[] = [];
  for (let a = 0; a < nAccounts; a++) {
    const t = nextStart[a] ?? Infinity;
    const account = directory.accounts[a];
    if (t === Infinity || account === undefined) continue;
    nextMeetings.push({ AccountId: account.id, Start: iso(t), End: iso(nextEnd[a] ?? t) });
  }

  return {
    rows,
    rawScores: raws.map((r) => r / RAW_UNITS),
    nextMeetings,
    totals: {
      asOf: iso(asOf),
      windowStart: iso(start),
      emailsRead: v.read.emails,
      meetingsRead: v.read.meetings,
      emailsCounted,
      meetingsCounted,
      accounts: nAccounts,
      accountsEngaged,
    },
  };
}
