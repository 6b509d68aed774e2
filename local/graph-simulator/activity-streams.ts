/**
 * Deterministic activity streams. Each stream (one account, one pair of colleagues, one mailbox's
 * outside noise) is generated from its own key, so a mailbox can be built from the few streams it
 * takes part in without generating the rest of the tenant.
 */
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  type AccountPlan,
  type Activity,
  type LogicalMail,
  type LogicalMeeting,
  type MeetingAttendee,
  type PairPlan,
  type Person,
  type TenantModel,
} from './generator-model';
import {
  base64Digest,
  hashString,
  hexDigest,
  mixBytes,
  streamKey,
  streamRandom,
  type Random,
} from './random';
import {
  FIRST_NAMES,
  INTERNAL_TOPICS,
  LAST_NAMES,
  MEETING_TOPICS,
  NOISE_TOPICS,
  THREAD_TOPICS,
  UNKNOWN_EXTERNAL_DOMAINS,
} from './tenant-names';

/** Chance that a thread gets one more message. */
const THREAD_CONTINUE = 0.55;
const MAX_THREAD_LENGTH = 8;
/** Average messages per thread, used to turn mail budgets into thread counts. */
export const MEAN_THREAD_LENGTH = 2.15;

const INTERNAL_HOST = 'namprd11.prod.outlook.com';

/** The Internet message id of a logical mail (the same in every mailbox holding a copy). */
export function internetMessageId(hash: number, from: Person): string {
  const digest = mixBytes(hash, 0x1d, 12).toString('hex').toUpperCase();
  if (from.userId !== null) return `<BY5PR11MB${digest}@BY5PR11MB${digest.slice(0, 4)}.${INTERNAL_HOST}>`;
  const domain = from.address.slice(from.address.indexOf('@') + 1);
  return `<${digest.toLowerCase()}@mail.${domain}>`;
}

function conversationId(key: string): string {
  return `AAQkAD${base64Digest(streamKey(['conversation', key]), 30)}=`;
}

function iCalUId(key: string): string {
  return `040000008200E00074C5B7101A82E00800000000${hexDigest(streamKey(['ical', key]), 72).toUpperCase()}`;
}

/** A weekday instant between 07:00 and 18:00 UTC inside [from, until). */
export function businessInstant(rnd: Random, from: number, until: number): number {
  const t = from + rnd.next() * Math.max(0, until - from);
  let day = Math.floor(t / DAY_MS) * DAY_MS;
  const dow = new Date(day).getUTCDay();
  if (dow === 6) day -= DAY_MS;
  if (dow === 0) day += DAY_MS;
  const instant = day + rnd.int(7, 17) * HOUR_MS + rnd.int(0, 59) * MINUTE_MS + rnd.int(0, 59) * 1000;
  return Math.min(Math.max(instant, from), until - 1000);
}

/** A weekday meeting start on the half hour between 08:00 and 16:30 UTC inside [from, until). */
function meetingSlot(rnd: Random, from: number, until: number): number {
  const t = businessInstant(rnd, from, until);
  const day = Math.floor(t / DAY_MS) * DAY_MS;
  const slot = day + rnd.int(8, 16) * HOUR_MS + (rnd.chance(0.5) ? 30 * MINUTE_MS : 0);
  // Keep the slot inside the range (a day earlier when the hour would pass its end).
  return slot >= until && slot - DAY_MS >= from ? slot - DAY_MS : slot;
}

function unknownExternal(rnd: Random): Person {
  const domain = rnd.pick(UNKNOWN_EXTERNAL_DOMAINS);
  const first = rnd.pick(FIRST_NAMES);
  const last = rnd.pick(LAST_NAMES);
  return { name: `${first} ${last}`, address: `${first}.${last}@${domain}`.toLowerCase(), userId: null };
}

/** Someone at the account's domain who is not a listed contact (found only by domain mapping). */
function unlistedColleague(rnd: Random, plan: AccountPlan): Person {
  const box = rnd.pick(['procurement', 'info', 'accounts.payable', 'it-support', 'legal']);
  return { name: `${plan.name} ${box}`, address: `${box}@${plan.mailDomain}`, userId: null };
}

function pickContact(rnd: Random, contacts: readonly Person[]): Person {
  const weights = contacts.map((_, i) => (i === 0 ? 3 : 1));
  return rnd.weighted(contacts, weights);
}

function uniquePeople(people: readonly (Person | null)[], exclude: readonly Person[]): Person[] {
  const seen = new Set(exclude.map((p) => p.address));
  const out: Person[] = [];
  for (const person of people) {
    if (person === null || seen.has(person.address)) continue;
    seen.add(person.address);
    out.push(person);
  }
  return out;
}

function replyDelay(rnd: Random, repliedByInternal: boolean): number {
  const hours = repliedByInternal ? rnd.logNormal(3, 1.0) : rnd.logNormal(7, 1.1);
  return Math.max(3 * MINUTE_MS, Math.round((hours * HOUR_MS) / 1000) * 1000);
}

interface ThreadSides {
  readonly internal: Person;
  readonly external: Person;
  readonly internalCc: readonly Person[];
  readonly externalCc: readonly Person[];
  readonly bcc: readonly Person[];
  readonly internalStarts: boolean;
}

function emitThread(
  rnd: Random,
  asOf: number,
  key: string,
  start: number,
  subject: string,
  sides: ThreadSides,
  draftChance: number,
  mails: LogicalMail[],
): void {
  let length = 1;
  while (length < MAX_THREAD_LENGTH && rnd.chance(THREAD_CONTINUE)) length++;
  const conversation = conversationId(key);
  let time = start;
  let lastInternalTurn = sides.internalStarts;
  for (let m = 0; m < length; m++) {
    if (time >= asOf) return;
    const internalTurn = m % 2 === 0 ? sides.internalStarts : !sides.internalStarts;
    lastInternalTurn = internalTurn;
    const extraExternal = sides.externalCc[0];
    const externalSender =
      !internalTurn && m >= 2 && extraExternal !== undefined && rnd.chance(0.3)
        ? extraExternal
        : sides.external;
    const from = internalTurn ? sides.internal : externalSender;
    const to = internalTurn ? [sides.external] : [sides.internal];
    const cc = uniquePeople(
      [...sides.internalCc, ...sides.externalCc, ...(internalTurn ? [] : [sides.external])],
      [from, ...to],
    );
    const mailKey = `${key}/m${m}`;
    const hash = hashString(mailKey);
    mails.push({
      key: mailKey,
      hash,
      conversationId: conversation,
      sent: time,
      from,
      to,
      cc,
      bcc: m === 0 && internalTurn ? sides.bcc : [],
      subject: m === 0 ? subject : `RE: ${subject}`,
      isDraft: false,
    });
    time += replyDelay(rnd, !internalTurn);
  }
  if (!lastInternalTurn && time < asOf && rnd.chance(draftChance)) {
    const draftKey = `${key}/draft`;
    const hash = hashString(draftKey);
    mails.push({
      key: draftKey,
      hash,
      conversationId: conversation,
      sent: time,
      from: sides.internal,
      to: [sides.external],
      cc: [],
      bcc: [],
      subject: `RE: ${subject}`,
      isDraft: true,
    });
  }
}

function meeting(
  key: string,
  subject: string,
  start: number,
  durationMinutes: number,
  organizer: Person,
  attendees: readonly MeetingAttendee[],
  extra: Partial<
    Pick<LogicalMeeting, 'isAllDay' | 'isCancelled' | 'seriesKey' | 'type' | 'sensitivity'>
  > = {},
): LogicalMeeting {
  const isAllDay = extra.isAllDay ?? false;
  const begin = isAllDay ? Math.floor(start / DAY_MS) * DAY_MS : start;
  return {
    key,
    hash: hashString(key),
    iCalUId: iCalUId(key),
    seriesKey: extra.seriesKey ?? null,
    type: extra.type ?? 'singleInstance',
    start: begin,
    end: isAllDay ? begin + DAY_MS : begin + durationMinutes * MINUTE_MS,
    isAllDay,
    isCancelled: extra.isCancelled ?? false,
    sensitivity: extra.sensitivity ?? 'normal',
    organizer,
    attendees,
    subject,
  };
}

/**
 * About one customer meeting in twenty is marked private and one in fifty confidential (a few more
 * personal). Taken from the meeting's key rather than the stream, so the rest of the tenant stays
 * as it was.
 */
function singleMeetingSensitivity(key: string): LogicalMeeting['sensitivity'] {
  const roll = hashString(key, 0x5e) % 100;
  return roll < 5 ? 'private' : roll < 7 ? 'confidential' : roll < 10 ? 'personal' : 'normal';
}

function accountMeetingParties(
  rnd: Random,
  plan: AccountPlan,
): { organizer: Person; attendees: MeetingAttendee[] } {
  const seller = plan.coSeller !== null && rnd.chance(0.2) ? plan.coSeller : plan.owner;
  const contacts = rnd.sample(plan.contacts, rnd.int(1, Math.min(3, plan.contacts.length)));
  const internals: Person[] = [];
  if (plan.coSeller !== null && seller !== plan.coSeller && rnd.chance(0.3)) internals.push(plan.coSeller);
  if (plan.engineer !== null && rnd.chance(0.2)) internals.push(plan.engineer);
  const organizerIsContact = rnd.chance(0.25);
  const organizer = organizerIsContact ? (contacts[0] ?? seller) : seller;
  const everyone = uniquePeople(
    organizerIsContact ? [seller, ...contacts, ...internals] : [...contacts, ...internals],
    [organizer],
  );
  return {
    organizer,
    attendees: everyone.map((person, i) => ({
      person,
      type: i > 2 && rnd.chance(0.5) ? 'optional' : 'required',
    })),
  };
}

/** Email threads and meetings between an account's contacts and its sellers. */
export function accountActivity(model: TenantModel, plan: AccountPlan): Activity {
  const mails: LogicalMail[] = [];
  const meetings: LogicalMeeting[] = [];
  if (plan.profile === 'silent' || plan.contacts.length === 0) return { mails, meetings };
  const rnd = streamRandom(model.seed, 'account', plan.accountId);
  const threads = rnd.poisson(plan.expectedThreads);
  for (let t = 0; t < threads; t++) {
    const key = `${plan.accountId}/t${t}`;
    const internal = plan.coSeller !== null && rnd.chance(0.15) ? plan.coSeller : plan.owner;
    const external = pickContact(rnd, plan.contacts);
    const internalCc: Person[] = [];
    const otherSeller = internal === plan.owner ? plan.coSeller : plan.owner;
    if (otherSeller !== null && plan.coSeller !== null && rnd.chance(0.25)) internalCc.push(otherSeller);
    if (plan.engineer !== null && rnd.chance(0.12)) internalCc.push(plan.engineer);
    const externalCc: Person[] = [];
    if (plan.contacts.length > 1 && rnd.chance(0.3)) {
      const other = rnd.pick(plan.contacts);
      if (other !== external) externalCc.push(other);
    }
    if (rnd.chance(0.08)) externalCc.push(unlistedColleague(rnd, plan));
    if (rnd.chance(0.04)) externalCc.push(unknownExternal(rnd));
    const start = businessInstant(rnd, plan.activeFrom, plan.activeUntil);
    emitThread(
      rnd,
      model.asOf,
      key,
      start,
      `${plan.name}: ${rnd.pick(THREAD_TOPICS)}`,
      {
        internal,
        external,
        internalCc,
        externalCc,
        bcc: rnd.chance(0.05) ? [plan.manager] : [],
        internalStarts: rnd.chance(0.65),
      },
      0.05,
      mails,
    );
  }

  const singles = rnd.poisson(plan.expectedMeetings);
  for (let i = 0; i < singles; i++) {
    const { organizer, attendees } = accountMeetingParties(rnd, plan);
    const isAllDay = rnd.chance(0.04);
    meetings.push(
      meeting(
        `${plan.accountId}/e${i}`,
        `${rnd.pick(MEETING_TOPICS)} – ${plan.name}`,
        meetingSlot(rnd, plan.activeFrom, plan.activeUntil),
        rnd.pick([30, 30, 45, 60, 60, 90]),
        organizer,
        attendees,
        {
          isAllDay,
          isCancelled: !isAllDay && rnd.chance(0.06),
          sensitivity: singleMeetingSensitivity(`${plan.accountId}/e${i}`),
        },
      ),
    );
  }

  if (plan.hasSeries) {
    const { organizer, attendees } = accountMeetingParties(rnd, plan);
    const seriesKey = `${plan.accountId}/series`;
    const interval = rnd.pick([7, 7, 14]) * DAY_MS;
    const count = rnd.int(6, 20);
    const seriesEnd = plan.profile === 'stale' ? plan.activeUntil : model.asOf + 45 * DAY_MS;
    const first = meetingSlot(
      rnd,
      plan.activeFrom,
      Math.max(plan.activeFrom + DAY_MS, seriesEnd - count * interval),
    );
    const cancelled = rnd.int(0, count - 1);
    const moved = rnd.int(0, count - 1);
    const subject = `${plan.name} weekly sync`;
    const duration = rnd.pick([30, 45, 60]);
    for (let i = 0; i < count; i++) {
      const start = first + i * interval;
      if (start >= seriesEnd) break;
      const isException = i === moved && i !== cancelled;
      meetings.push(
        meeting(
          `${seriesKey}/o${i}`,
          subject,
          isException ? start + HOUR_MS : start,
          duration,
          organizer,
          attendees,
          {
            seriesKey,
            type: isException ? 'exception' : 'occurrence',
            isCancelled: i === cancelled && count > 3,
          },
        ),
      );
    }
  }

  if (plan.hasFutureMeeting) {
    const { organizer, attendees } = accountMeetingParties(rnd, plan);
    meetings.push(
      meeting(
        `${plan.accountId}/future`,
        `${rnd.pick(MEETING_TOPICS)} – ${plan.name}`,
        meetingSlot(rnd, model.asOf + DAY_MS, model.asOf + 30 * DAY_MS),
        60,
        organizer,
        attendees,
      ),
    );
  }
  return plan.unansweredSince === null
    ? { mails, meetings }
    : goneQuiet(model, plan, plan.unansweredSince, { mails, meetings });
}

/**
 * An account whose people stopped answering at `since` (at least 31 days before asOf): a thread
 * ends before their first message from then on, nothing is met from then on (series and the
 * planned meeting included), and a last exchange and a chase are added from a stream of their own.
 * Their main contact asked something shortly before `since` and the owner answered; in the last
 * three weeks the owner sent them something and followed it up, 3 or 4 emails with no reply. So the
 * account has the Unanswered signal: at least 3 emails to it in the last 30 days, none from it,
 * and mail from it earlier in the window.
 */
function goneQuiet(model: TenantModel, plan: AccountPlan, since: number, activity: Activity): Activity {
  const cut = new Map<string, number>();
  for (const mail of activity.mails) {
    if (mail.from.userId !== null || mail.sent < since) continue;
    cut.set(mail.conversationId, Math.min(cut.get(mail.conversationId) ?? Infinity, mail.sent));
  }
  const mails = activity.mails.filter((mail) => mail.sent < (cut.get(mail.conversationId) ?? Infinity));
  const meetings = activity.meetings.filter((m) => m.start < since);

  const rnd = streamRandom(model.seed, 'unanswered', plan.accountId);
  const contact = plan.contacts[0];
  if (contact === undefined) return { mails, meetings };
  const owner = plan.owner;
  const say = (key: string, sent: number, from: Person, to: Person, subject: string): void => {
    mails.push({
      key,
      hash: hashString(key),
      conversationId: conversationId(key.slice(0, key.lastIndexOf('/'))),
      sent,
      from,
      to: [to],
      cc: [],
      bcc: [],
      subject,
      isDraft: false,
    });
  };

  const asked = businessInstant(rnd, since - 12 * DAY_MS, since - DAY_MS);
  const question = `${plan.name}: ${rnd.pick(THREAD_TOPICS)}`;
  say(`${plan.accountId}/last-word/m0`, asked, contact, owner, question);
  say(`${plan.accountId}/last-word/m1`, asked + replyDelay(rnd, true), owner, contact, `RE: ${question}`);

  const chased = `${plan.accountId}/chase`;
  const subject = `${plan.name}: ${rnd.pick(THREAD_TOPICS)}`;
  const count = rnd.int(3, 4);
  // The k-th email from the last lies in [asOf − (5k + 5) d, asOf − (5k + 1) d): in order, the
  // first at most 20 days before asOf, the last at least a day before it.
  for (let m = 0; m < count; m++) {
    const k = count - 1 - m;
    const sent = businessInstant(rnd, model.asOf - (5 * k + 5) * DAY_MS, model.asOf - (5 * k + 1) * DAY_MS);
    say(`${chased}/m${m}`, sent, owner, contact, m === 0 ? subject : `RE: ${subject}`);
  }
  return { mails, meetings };
}

/** Internal-only mail and meetings between two colleagues (peers, or a seller and their manager). */
export function pairActivity(model: TenantModel, pair: PairPlan): Activity {
  const mails: LogicalMail[] = [];
  const meetings: LogicalMeeting[] = [];
  const rnd = streamRandom(model.seed, 'pair', pair.key);
  const threads = rnd.poisson(pair.expectedThreads);
  for (let t = 0; t < threads; t++) {
    const aStarts = rnd.chance(0.5);
    emitThread(
      rnd,
      model.asOf,
      `${pair.key}/t${t}`,
      businessInstant(rnd, model.dataStart, model.asOf),
      rnd.pick(INTERNAL_TOPICS),
      {
        internal: aStarts ? pair.a : pair.b,
        external: aStarts ? pair.b : pair.a,
        internalCc: [],
        externalCc: [],
        bcc: [],
        internalStarts: true,
      },
      0.03,
      mails,
    );
  }
  if (pair.kind === 'manager') {
    const seriesKey = `${pair.key}/one-on-one`;
    const first = meetingSlot(rnd, model.dataStart, model.dataStart + 14 * DAY_MS);
    for (let i = 0; first + i * 14 * DAY_MS < model.asOf + 30 * DAY_MS; i++) {
      meetings.push(
        meeting(
          `${seriesKey}/o${i}`,
          '1:1',
          first + i * 14 * DAY_MS,
          30,
          pair.b,
          [{ person: pair.a, type: 'required' }],
          {
            seriesKey,
            type: 'occurrence',
            isCancelled: rnd.chance(0.05),
          },
        ),
      );
    }
  } else {
    const count = rnd.poisson(2);
    for (let i = 0; i < count; i++) {
      meetings.push(
        meeting(
          `${pair.key}/e${i}`,
          rnd.pick(INTERNAL_TOPICS),
          meetingSlot(rnd, model.dataStart, model.asOf),
          30,
          pair.a,
          [{ person: pair.b, type: 'required' }],
        ),
      );
    }
  }
  return { mails, meetings };
}

/** Mail between one mailbox and people the customer dataset does not know; and stray drafts. */
export function noiseActivity(model: TenantModel, owner: Person): Activity {
  const mails: LogicalMail[] = [];
  const rnd = streamRandom(model.seed, 'noise', owner.address);
  const count = rnd.poisson(model.noisePerMailbox);
  for (let i = 0; i < count; i++) {
    const key = `${owner.address}/n${i}`;
    const hash = hashString(key);
    const stranger = unknownExternal(rnd);
    const sent = businessInstant(rnd, model.dataStart, model.asOf);
    const roll = rnd.next();
    const inbound = roll < 0.75;
    const isDraft = roll > 0.93;
    const from = inbound ? stranger : owner;
    mails.push({
      key,
      hash,
      conversationId: conversationId(key),
      sent,
      from,
      to: [inbound ? owner : stranger],
      cc: [],
      bcc: [],
      subject: rnd.pick(NOISE_TOPICS),
      isDraft,
    });
  }
  return { mails, meetings: [] };
}
