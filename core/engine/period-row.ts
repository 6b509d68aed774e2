import { iso } from './iso-instant.ts';
import type { PeriodGrid } from './periods.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../time/durations.ts';
import type { EngagementRow } from './rows.ts';
import { EMAILS_FROM, EMAILS_TO, FROM_ACCOUNT, MEETINGS, TO_ACCOUNT } from './score.ts';

/**
 * Accumulates one account's row at one level, one period at a time (the account's items arrive in
 * time order). Distinct tracked users and persons are counted with stamp arrays: a slot holds the
 * serial of the last period that counted it, so nothing is cleared between periods.
 */
export class PeriodRow {
  readonly grid: PeriodGrid;
  /** ISO form of each period start, computed once. */
  readonly startIso: readonly string[];
  readonly #usersEmails: Int32Array;
  readonly #usersMeetings: Int32Array;
  readonly #personsEmails: Int32Array;
  readonly #personsMeetings: Int32Array;
  /** Index of the period the walk is in (advances only). */
  ptr = 0;
  /** Open period, or -1. */
  period = -1;
  #serial = 0;
  #emailsTo = 0;
  #emailsFrom = 0;
  #meetingsTo = 0;
  #meetingsFrom = 0;
  #nUsersEmails = 0;
  #nUsersMeetings = 0;
  #nPersonsEmails = 0;
  #nPersonsMeetings = 0;
  #first = Infinity;
  #lastEmail = -Infinity;
  #lastMeeting = -Infinity;
  #meetings = 0;
  #durationSum = 0;
  #replies = 0;
  #replySum = 0;
  /** The open (or last finished) period's raw units by kind: EMAILS_TO, EMAILS_FROM, MEETINGS. */
  readonly rawByKind = new Float64Array(3);
  /** Rows of the current account finished at this level, their raw values and periods. */
  readonly doneRows: EngagementRow[] = [];
  readonly doneRaw: number[] = [];
  readonly donePeriod: number[] = [];

  /** Shared by the rows of one finalisation, so every (account, level, period) gets its own serial. */
  readonly #serials: { last: number };

  constructor(grid: PeriodGrid, users: number, addresses: number, serials: { last: number }) {
    this.grid = grid;
    this.#serials = serials;
    this.startIso = Array.from(grid.starts, iso);
    this.#usersEmails = new Int32Array(users).fill(-1);
    this.#usersMeetings = new Int32Array(users).fill(-1);
    this.#personsEmails = new Int32Array(addresses).fill(-1);
    this.#personsMeetings = new Int32Array(addresses).fill(-1);
  }

  /** End of the open period. */
  get end(): number {
    return this.grid.ends[this.period] ?? 0;
  }

  /** Moves to the period containing t (t never goes back within an account); returns its end. */
  enter(t: number, accountId: string, accountName: string): number {
    const ends = this.grid.ends;
    while (t >= (ends[this.ptr] ?? Infinity)) this.ptr++;
    if (this.ptr !== this.period) {
      this.flush(accountId, accountName);
      this.open(this.ptr);
    }
    return ends[this.period] ?? 0;
  }

  open(period: number): void {
    this.period = period;
    this.#serial = ++this.#serials.last;
    this.#emailsTo = this.#emailsFrom = this.#meetingsTo = this.#meetingsFrom = 0;
    this.#nUsersEmails = this.#nUsersMeetings = this.#nPersonsEmails = this.#nPersonsMeetings = 0;
    this.#first = Infinity;
    this.#lastEmail = this.#lastMeeting = -Infinity;
    this.#meetings = this.#durationSum = this.#replies = this.#replySum = 0;
    this.rawByKind.fill(0);
  }

  /** Counts one email of the account in the open period. */
  addEmail(
    t: number,
    dir: number,
    replyMs: number,
    parts: Float64Array,
    users: Int32Array,
    nUsers: number,
    persons: Int32Array,
    nPersons: number,
  ): void {
    if ((dir & TO_ACCOUNT) !== 0) this.#emailsTo++;
    if ((dir & FROM_ACCOUNT) !== 0) this.#emailsFrom++;
    if (!Number.isNaN(replyMs)) {
      this.#replies++;
      this.#replySum += replyMs;
    }
    if (t < this.#first) this.#first = t;
    if (t > this.#lastEmail) this.#lastEmail = t;
    this.#addParts(parts);
    const serial = this.#serial;
    const u = this.#usersEmails;
    for (let i = 0; i < nUsers; i++) {
      const k = users[i] ?? 0;
      if (u[k] !== serial) {
        u[k] = serial;
        this.#nUsersEmails++;
      }
    }
    const p = this.#personsEmails;
    for (let i = 0; i < nPersons; i++) {
      const k = persons[i] ?? 0;
      if (p[k] !== serial) {
        p[k] = serial;
        this.#nPersonsEmails++;
      }
    }
  }

  /** Counts one meeting of the account in the open period. */
  addMeeting(
    t: number,
    dir: number,
    durationMs: number,
    parts: Float64Array,
    users: Int32Array,
    nUsers: number,
    persons: Int32Array,
    nPersons: number,
  ): void {
    if ((dir & TO_ACCOUNT) !== 0) this.#meetingsTo++;
    if ((dir & FROM_ACCOUNT) !== 0) this.#meetingsFrom++;
    this.#meetings++;
    this.#durationSum += durationMs;
    if (t < this.#first) this.#first = t;
    if (t > this.#lastMeeting) this.#lastMeeting = t;
    this.#addParts(parts);
    const serial = this.#serial;
    const u = this.#usersMeetings;
    for (let i = 0; i < nUsers; i++) {
      const k = users[i] ?? 0;
      if (u[k] !== serial) {
        u[k] = serial;
        this.#nUsersMeetings++;
      }
    }
    const p = this.#personsMeetings;
    for (let i = 0; i < nPersons; i++) {
      const k = persons[i] ?? 0;
      if (p[k] !== serial) {
        p[k] = serial;
        this.#nPersonsMeetings++;
      }
    }
  }

  #addParts(parts: Float64Array): void {
    const kinds = this.rawByKind;
    kinds[EMAILS_TO] = (kinds[EMAILS_TO] ?? 0) + (parts[EMAILS_TO] ?? 0);
    kinds[EMAILS_FROM] = (kinds[EMAILS_FROM] ?? 0) + (parts[EMAILS_FROM] ?? 0);
    kinds[MEETINGS] = (kinds[MEETINGS] ?? 0) + (parts[MEETINGS] ?? 0);
  }

  /** Finishes the open period (if any) into the done lists. */
  flush(accountId: string, accountName: string): void {
    if (this.period < 0) return;
    this.doneRows.push(this.#toRow(accountId, accountName));
    const kinds = this.rawByKind;
    this.doneRaw.push((kinds[EMAILS_TO] ?? 0) + (kinds[EMAILS_FROM] ?? 0) + (kinds[MEETINGS] ?? 0));
    this.donePeriod.push(this.period);
    this.period = -1;
  }

  /** Starts a new account. */
  reset(): void {
    this.ptr = 0;
    this.period = -1;
    this.doneRows.length = 0;
    this.doneRaw.length = 0;
    this.donePeriod.length = 0;
  }

  #toRow(accountId: string, accountName: string): EngagementRow {
    const end = this.end;
    return {
      AccountId: accountId,
      AccountName: accountName,
      EngagementScore: 0,
      NoOfEmails_ToAccount: this.#emailsTo,
      NoOfEmails_FromAccount: this.#emailsFrom,
      NoOfMeetings_ToAccount: this.#meetingsTo,
      NoOfMeetings_FromAccount: this.#meetingsFrom,
      NoOfContactsInvolved_Emails: this.#nUsersEmails,
      NoOfContactsInvolved_Meetings: this.#nUsersMeetings,
      NoOfAccountContactsInvolved_Emails: this.#nPersonsEmails,
      NoOfAccountContactsInvolved_Meetings: this.#nPersonsMeetings,
      EngagementStartDate: this.#first === Infinity ? null : iso(this.#first),
      DaysSinceLastEmail: this.#lastEmail === -Infinity ? null : Math.floor((end - this.#lastEmail) / DAY_MS),
      DaysSinceLastMeeting:
        this.#lastMeeting === -Infinity ? null : Math.floor((end - this.#lastMeeting) / DAY_MS),
      AverageDuration_Of_Meetings: this.#meetings > 0 ? this.#durationSum / this.#meetings / MINUTE_MS : null,
      AverageDuration_Of_AccountEmailReplies:
        this.#replies > 0 ? this.#replySum / this.#replies / HOUR_MS : null,
      AggregationStartDate: this.startIso[this.period] ?? iso(this.grid.starts[this.period] ?? 0),
      AggregationLevel: this.grid.level,
    };
  }
}
