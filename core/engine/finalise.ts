import type { AggregateView, Aggregator } from './aggregator.ts';
import { buildPairs, ItemAccounts, type CountedPairs } from './item-accounts.ts';
import { CANCELLED, MEETING } from './item-table.ts';
import { iso } from './iso-instant.ts';
import { PeriodRow } from './period-row.ts';
import { MINUTE_MS } from '../time/durations.ts';
import { replyTimes } from './replies.ts';
import type { EngagementRow, NextMeeting } from './rows.ts';
import { itemUnits, RAW_UNITS, scorePeriod } from './score.ts';
import { explainYearScores, type ScoreExplanation } from './score-explanation.ts';
import { DEFAULT_SETTINGS, type EngagementSettings } from './settings.ts';
import { SignalTally, type AccountSignals } from './signals.ts';

const TWO_32 = 4294967296;

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
  /**
   * One per engaged account (AccountId order): the tracked user who took part in the most of the
   * account's counted emails and meetings in the window (ties: the smaller user id). Alerts use it
   * as the account's owner when the dataset maps none.
   */
  mostEngagedUsers: { AccountId: string; UserId: string }[];
  /** One per account of the dataset (AccountId order): its risk signals at T (signals.ts). */
  signals: ({ AccountId: string } & AccountSignals)[];
  /** One per account of the dataset (AccountId order): why its Year score is what it is. */
  explanations: ({ AccountId: string } & ScoreExplanation)[];
  totals: EngagementTotals;
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

/**
 * Pair indices grouped by account (AccountId order), each account's pairs in time order:
 * a counting sort by account, then per account one native sort of packed keys (the minute since a
 * UTC midnight at or before the window start, with the pair index in the low 32 bits). Every
 * period boundary but the window start falls between minutes, and nothing earlier than the window
 * start is counted, so minute order is enough to walk periods in order.
 */
function pairsByAccount(v: AggregateView, pairs: CountedPairs, nAccounts: number): [Int32Array, Int32Array] {
  const { minuteOrigin } = v.context.window;
  const accountStart = new Int32Array(nAccounts + 1);
  for (let j = 0; j < pairs.count; j++) {
    const next = (pairs.account[j] ?? 0) + 1;
    accountStart[next] = (accountStart[next] ?? 0) + 1;
  }
  for (let a = 0; a < nAccounts; a++)
    accountStart[a + 1] = (accountStart[a + 1] ?? 0) + (accountStart[a] ?? 0);
  const fill = accountStart.slice(0, nAccounts);
  const keys = new Float64Array(pairs.count);
  for (let j = 0; j < pairs.count; j++) {
    const a = pairs.account[j] ?? 0;
    const t = v.items.time[pairs.row[j] ?? 0] ?? 0;
    keys[fill[a] ?? 0] = Math.floor((t - minuteOrigin) / MINUTE_MS) * TWO_32 + j;
    fill[a] = (fill[a] ?? 0) + 1;
  }
  for (let a = 0; a < nAccounts; a++) keys.subarray(accountStart[a] ?? 0, accountStart[a + 1] ?? 0).sort();
  const byAccount = new Int32Array(pairs.count);
  for (let k = 0; k < pairs.count; k++) byAccount[k] = (keys[k] ?? 0) % TWO_32;
  return [accountStart, byAccount];
}

function finaliseView(v: AggregateView, settings: EngagementSettings): EngagementResult {
  const { window, directory, tracked } = v.context;
  const { items, addressUser, addressAccounts } = v;
  const nAccounts = directory.size;
  const resolver = new ItemAccounts(v);

  // 1. The (item, account, direction) pairs of the counted items.
  const pairs = buildPairs(v, resolver);

  // 2. Reply time of each From-account pair.
  const reply = replyTimes(items, v.replyCandidates, pairs);

  // 3. Pairs grouped by account, each account's in time order.
  const [accountStart, byAccount] = pairsByAccount(v, pairs, nAccounts);

  // 4. Rows: walk each account's pairs once, the three levels side by side.
  const serials = { last: 0 };
  const levels = window.grids.map((g) => new PeriodRow(g, tracked.size, v.addresses.length, serials));
  const groups = window.grids.map((g) => Array.from({ length: g.starts.length }, (): number[] => []));
  const rows: EngagementRow[] = [];
  const raws: number[] = [];
  let users = new Int32Array(64);
  let persons = new Int32Array(64);
  let accountsEngaged = 0;
  const userItems = new Int32Array(tracked.size);
  const usersTouched: number[] = [];
  const mostEngagedUsers: { AccountId: string; UserId: string }[] = [];
  const tally = new SignalTally(window.asOf, settings.signals);
  const signals: EngagementResult['signals'] = [];
  const parts = new Float64Array(3);
  const yearKinds = new Float64Array(3 * nAccounts);
  for (let a = 0; a < nAccounts; a++) {
    const account = directory.accounts[a];
    if (account === undefined) continue;
    const { id, name } = account;
    for (const L of levels) L.reset();
    tally.reset();
    const from = accountStart[a] ?? 0;
    const to = accountStart[a + 1] ?? 0;
    if (to > from) accountsEngaged++;
    for (let k = from; k < to; k++) {
      const j = byAccount[k] ?? 0;
      const r = pairs.row[j] ?? 0;
      const dir = pairs.dir[j] ?? 0;
      const t = items.time[r] ?? 0;
      const meeting = ((items.flags[r] ?? 0) & MEETING) !== 0;
      // The item's tracked users, and its persons of this account (sender first, then the others).
      const off = items.partOff[r] ?? 0;
      const end = off + (items.partLen[r] ?? 0);
      if (users.length <= end - off) {
        users = new Int32Array((end - off + 1) * 2);
        persons = new Int32Array((end - off + 1) * 2);
      }
      let nUsers = 0;
      let nPersons = 0;
      for (let i = off - 1; i < end; i++) {
        const p = i < off ? (items.sender[r] ?? 0) : (items.pool[i] ?? 0);
        const u = addressUser[p] ?? -1;
        if (u >= 0) users[nUsers++] = u;
        const list = addressAccounts[p];
        if (list !== undefined && list.length > 0 && list.includes(a)) persons[nPersons++] = p;
      }
      tally.add(t, meeting, dir, persons, nPersons);
      for (let i = 0; i < nUsers; i++) {
        const u = users[i] ?? 0;
        if (userItems[u] === 0) usersTouched.push(u);
        userItems[u] = (userItems[u] ?? 0) + 1;
      }
      for (const L of levels) {
        const periodEnd = L.enter(t, id, name);
        itemUnits(meeting, dir, periodEnd - t, settings, parts);
        if (meeting) {
          const duration = Math.max(0, (items.aux[r] ?? t) - t);
          L.addMeeting(t, dir, duration, parts, users, nUsers, persons, nPersons);
        } else {
          L.addEmail(t, dir, reply[j] ?? Number.NaN, parts, users, nUsers, persons, nPersons);
        }
      }
    }
    if (usersTouched.length > 0) {
      let best = -1;
      for (const u of usersTouched) {
        if (
          best < 0 ||
          (userItems[u] ?? 0) > (userItems[best] ?? 0) ||
          ((userItems[u] ?? 0) === (userItems[best] ?? 0) && u < best)
        )
          best = u;
      }
      mostEngagedUsers.push({ AccountId: id, UserId: tracked.userIds[best] ?? '' });
      for (const u of usersTouched) userItems[u] = 0;
      usersTouched.length = 0;
    }
    signals.push({ AccountId: id, ...tally.signals() });
    for (const L of levels) L.flush(id, name);
    const year = levels[0];
    if (year !== undefined && year.doneRows.length === 0) {
      // The Year row exists for every account of the dataset.
      year.open(0);
      year.flush(id, name);
    }
    if (year !== undefined) yearKinds.set(year.rawByKind, 3 * a);
    levels.forEach((L, li) => {
      L.doneRows.forEach((row, i) => {
        groups[li]?.[L.donePeriod[i] ?? 0]?.push(rows.length);
        rows.push(row);
        raws.push(L.doneRaw[i] ?? 0);
      });
    });
  }

  // 5. Scores: percentile rank among the accounts with raw > 0 in the same level and period.
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

  // 6. The Year scores explained, from the same Year raws by kind.
  const explained = explainYearScores(yearKinds, settings);
  const explanations: EngagementResult['explanations'] = [];
  directory.accounts.forEach((account, a) => {
    const explanation = explained[a];
    if (explanation !== undefined) explanations.push({ AccountId: account.id, ...explanation });
  });

  return {
    rows,
    rawScores: raws.map((r) => r / RAW_UNITS),
    nextMeetings: nextMeetings(v, resolver),
    mostEngagedUsers,
    signals,
    explanations,
    totals: {
      asOf: iso(window.asOf),
      windowStart: iso(window.start),
      emailsRead: v.read.emails,
      meetingsRead: v.read.meetings,
      emailsCounted: pairs.emails,
      meetingsCounted: pairs.meetings,
      accounts: nAccounts,
      accountsEngaged,
    },
  };
}

/** Per account: the earliest (start, then id hash) non-cancelled meeting at or after T. */
function nextMeetings(v: AggregateView, resolver: ItemAccounts): NextMeeting[] {
  const { items } = v;
  const { directory, window } = v.context;
  const n = directory.size;
  const nextStart = new Float64Array(n).fill(Infinity);
  const nextEnd = new Float64Array(n);
  const nextHash = new Float64Array(n);
  for (let r = 0; r < items.size; r++) {
    const flags = items.flags[r] ?? 0;
    const t = items.time[r] ?? 0;
    if ((flags & MEETING) === 0 || (flags & CANCELLED) !== 0 || !(t >= window.asOf)) continue;
    const count = resolver.resolve(r);
    const h = items.hash[r] ?? 0;
    for (let i = 0; i < count; i++) {
      const a = resolver.accounts[i] ?? 0;
      const best = nextStart[a] ?? Infinity;
      if (t < best || (t === best && h < (nextHash[a] ?? 0))) {
        nextStart[a] = t;
        nextEnd[a] = items.aux[r] ?? t;
        nextHash[a] = h;
      }
    }
  }
  const out: NextMeeting[] = [];
  for (let a = 0; a < n; a++) {
    const t = nextStart[a] ?? Infinity;
    const account = directory.accounts[a];
    if (t === Infinity || account === undefined) continue;
    out.push({ AccountId: account.id, Start: iso(t), End: iso(nextEnd[a] ?? t) });
  }
  return out;
}
