/**
 * Turns logical mail and meetings into the copies one mailbox holds: the sender's copy (Sent Items,
 * or moved to Archive or Deleted Items), each internal recipient's copy (Inbox, a customer or user
 * folder, Archive, Deleted Items or Junk Email; same internetMessageId, its own Graph id), drafts in
 * Drafts; a busy inbox's broadcast noise; and one event per internal participant's calendar (same
 * iCalUId). Where a copy is filed is drawn from (seed, mailbox, message), never from a stream.
 */
import type { GraphEvent, GraphMessage, MailFolder, Recipient } from './fixture-schema';
import { epochToInstant, epochToUtcLocal } from './fixture-schema';
import { DAY_MS, type LogicalMail, type LogicalMeeting, type Person } from './generator-model';
import { internetMessageId } from './activity-streams';
import { hashString, mixBytes } from './random';
import type { EventRecord, MessageRecord } from './tenant-source';
import { BROADCAST_SENDERS, FAKE_SENTENCES } from './tenant-names';

export type CopyKind = 'sent' | 'received' | 'draft';

function recipient(person: Person): Recipient {
  return { emailAddress: { name: person.name, address: person.address } };
}

const FAKE_BODIES = FAKE_SENTENCES.map((text) => ({
  preview: text,
  body: { contentType: 'html' as const, content: `<html><body><p>${text}</p></body></html>` },
}));

/** Short fake text: the same few sentences are shared by all items. */
function fakeText(hash: number): { preview: string; body: { contentType: 'html'; content: string } } {
  const text = FAKE_BODIES[hash % FAKE_BODIES.length] ?? FAKE_BODIES[0];
  if (text === undefined) throw new Error('no fake text');
  return text;
}

/** An Exchange-looking item id from an item hash and its mailbox's hash (`hashString(ownerId)`). */
export function itemId(itemHash: number, ownerHash: number, variant: number): string {
  return `AAMkAD${mixBytes(itemHash, ownerHash + variant, 32).toString('base64url')}AAA=`;
}

function changeKey(id: string): string {
  return mixBytes(hashString(id), 0xc4a, 12).toString('base64url');
}

const KIND_VARIANT: Record<CopyKind, number> = { sent: 1, received: 2, draft: 3 };
const EVENT_VARIANT = 4;
const SERIES_VARIANT = 5;
const BROADCAST_VARIANT = 6;

function fmix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit mix of three 53-bit hashes and a small variant, without hashing text. */
function mix32(a: number, b: number, c: number, variant: number): number {
  let h = fmix32((a >>> 0) ^ Math.imul(variant + 1, 0x9e3779b9));
  h = fmix32(h ^ (Math.floor(a / 4294967296) >>> 0));
  h = fmix32(h ^ (b >>> 0));
  h = fmix32(h ^ (Math.floor(b / 4294967296) >>> 0));
  h = fmix32(h ^ (c >>> 0));
  return fmix32(h ^ (Math.floor(c / 4294967296) >>> 0));
}

/** A uniform draw in [0, 1) fixed by three hashes (seed, mailbox, item) and a variant. */
export function unitDraw(a: number, b: number, c: number, variant: number): number {
  return mix32(a, b, c, variant) / 4294967296;
}

/** The ids of the folders a generated mailbox files its copies into. */
export interface MailboxLayout {
  /** The whole folder tree (well-known folders first), as `mailFolders(userId)` serves it. */
  readonly folders: readonly MailFolder[];
  readonly inbox: string;
  readonly sentitems: string;
  readonly drafts: string;
  readonly archive: string;
  readonly deleteditems: string;
  readonly junkemail: string;
  /** "Inbox/Customers": customer mail of accounts without a folder of their own here. */
  readonly customers: string;
  readonly team: string;
  readonly projects: string;
  readonly receipts: string;
  /** The customer folder of each account (by plan index) that has one in this mailbox. */
  readonly accountFolders: ReadonlyMap<number, string>;
}

/** Where a copy can be filed; `customer` is the account's folder, or Inbox/Customers. */
export type FolderSlot =
  | 'inbox'
  | 'customer'
  | 'team'
  | 'projects'
  | 'receipts'
  | 'sentitems'
  | 'archive'
  | 'deleteditems'
  | 'junkemail';

/** What a copy is, for filing: received mail of an account, of colleagues or of outsiders, or sent. */
export type FilingKind = 'customerReceived' | 'internalReceived' | 'outsideReceived' | 'sent';

/**
 * Where copies are filed: the share of each folder per kind of copy (each row sums to 1). Tune here.
 * - Received customer mail (any mail of an account's thread): most stays in the Inbox, rules file a
 *   fifth into the customer folders (Inbox/Customers/<Key accounts or region>/<account>, or
 *   Inbox/Customers when the mailbox has no folder for that account), some is archived or deleted,
 *   and a little lands in Junk Email, where it does not count.
 * - Received internal mail (colleague pairs): mostly Inbox, some filed under Team or Projects.
 * - Received outside mail (unknown senders): Inbox, Receipts, deleted, and more of it is junk.
 * - Sent mail: Sent Items, a share moved to Archive or Deleted Items. Drafts always stay in Drafts,
 *   and a busy inbox's broadcast noise stays in the Inbox.
 */
export const FOLDER_SHARES: Readonly<Record<FilingKind, Readonly<Partial<Record<FolderSlot, number>>>>> = {
  customerReceived: { inbox: 0.6, customer: 0.2, archive: 0.1, deleteditems: 0.07, junkemail: 0.03 },
  internalReceived: { inbox: 0.75, team: 0.06, projects: 0.04, archive: 0.08, deleteditems: 0.07 },
  outsideReceived: { inbox: 0.7, receipts: 0.08, archive: 0.04, deleteditems: 0.12, junkemail: 0.06 },
  sent: { sentitems: 0.85, archive: 0.1, deleteditems: 0.05 },
};

const CUMULATIVE_SHARES = Object.fromEntries(
  Object.entries(FOLDER_SHARES).map(([kind, shares]) => {
    let total = 0;
    const steps = Object.entries(shares).map(([slot, share]) => {
      total += share;
      return { slot: slot as FolderSlot, upTo: total };
    });
    return [kind, steps];
  }),
) as Record<FilingKind, { slot: FolderSlot; upTo: number }[]>;

/** The folder slot a draw in [0, 1) falls into for this kind of copy. */
export function folderSlot(kind: FilingKind, draw: number): FolderSlot {
  const steps = CUMULATIVE_SHARES[kind];
  for (const step of steps) if (draw < step.upTo) return step.slot;
  return steps[0]?.slot ?? 'inbox';
}

/** The folder id a slot names in a mailbox (`customer`: the account's folder, else Inbox/Customers). */
export function slotFolder(layout: MailboxLayout, slot: FolderSlot, accountIndex: number): string {
  if (slot === 'customer') return layout.accountFolders.get(accountIndex) ?? layout.customers;
  return layout[slot];
}

export class GeneratedMessage implements MessageRecord {
  private cachedId: string | undefined;
  readonly sent: number;
  readonly received: number;
  readonly isDraft: boolean;

  constructor(
    private readonly mail: LogicalMail,
    private readonly ownerHash: number,
    private readonly kind: CopyKind,
    readonly parentFolderId: string,
  ) {
    this.sent = mail.sent;
    this.isDraft = kind === 'draft';
    this.received = kind === 'received' ? mail.sent + 2000 + ((mail.hash + ownerHash) % 88_000) : mail.sent;
  }

  /** Computed when first needed: most copies are only sorted, not served, before the cache drops them. */
  get id(): string {
    this.cachedId ??= itemId(this.mail.hash, this.ownerHash, KIND_VARIANT[this.kind]);
    return this.cachedId;
  }

  toGraph(): GraphMessage {
    const mail = this.mail;
    const text = fakeText(mail.hash);
    const created = epochToInstant(this.kind === 'received' ? this.received : this.sent);
    return {
      id: this.id,
      createdDateTime: created,
      lastModifiedDateTime: created,
      changeKey: changeKey(this.id),
      categories: [],
      receivedDateTime: epochToInstant(this.received),
      sentDateTime: epochToInstant(this.sent),
      hasAttachments: false,
      internetMessageId: internetMessageId(mail.hash, mail.from),
      subject: mail.subject,
      bodyPreview: text.preview,
      importance: 'normal',
      parentFolderId: this.parentFolderId,
      conversationId: mail.conversationId,
      isDeliveryReceiptRequested: false,
      isReadReceiptRequested: false,
      isRead: this.kind !== 'received' || mail.hash % 5 !== 0,
      isDraft: this.isDraft,
      inferenceClassification: 'focused',
      body: { ...text.body },
      sender: recipient(mail.from),
      from: recipient(mail.from),
      toRecipients: mail.to.map(recipient),
      ccRecipients: mail.cc.map(recipient),
      // Only the sender's own copy shows Bcc recipients.
      bccRecipients: this.kind === 'received' ? [] : mail.bcc.map(recipient),
      replyTo: [],
      flag: { flagStatus: 'notFlagged' },
    };
  }
}

/**
 * One newsletter, notification or internal broadcast in a busy inbox: a handful of numbers, with
 * sender, subject and ids derived from its hash only when served.
 */
export class BroadcastMessage implements MessageRecord {
  private cachedId: string | undefined;
  readonly received: number;
  readonly isDraft = false;

  constructor(
    private readonly hash: number,
    private readonly owner: Person,
    private readonly ownerHash: number,
    readonly sent: number,
    readonly parentFolderId: string,
  ) {
    this.received = sent + 1000 * (1 + (hash % 59));
  }

  get id(): string {
    this.cachedId ??= itemId(this.hash, this.ownerHash, BROADCAST_VARIANT);
    return this.cachedId;
  }

  toGraph(): GraphMessage {
    const hash = this.hash;
    const sender = BROADCAST_SENDERS[hash % BROADCAST_SENDERS.length] ?? BROADCAST_SENDERS[0];
    if (sender === undefined) throw new Error('no broadcast senders');
    const from: Person = { name: sender.name, address: sender.address, userId: null };
    const text = fakeText(Math.floor(hash / 64));
    const received = epochToInstant(this.received);
    return {
      id: this.id,
      createdDateTime: received,
      lastModifiedDateTime: received,
      changeKey: changeKey(this.id),
      categories: [],
      receivedDateTime: received,
      sentDateTime: epochToInstant(this.sent),
      hasAttachments: false,
      internetMessageId: internetMessageId(hash, from),
      subject: sender.subjects[Math.floor(hash / 16) % sender.subjects.length] ?? sender.name,
      bodyPreview: text.preview,
      importance: 'normal',
      parentFolderId: this.parentFolderId,
      conversationId: `AAQkAD${mixBytes(hash, 0xb5a, 30).toString('base64url')}=`,
      isDeliveryReceiptRequested: false,
      isReadReceiptRequested: false,
      isRead: hash % 3 !== 0,
      isDraft: false,
      inferenceClassification: 'other',
      body: { ...text.body },
      sender: recipient(from),
      from: recipient(from),
      toRecipients: [recipient(this.owner)],
      ccRecipients: [],
      bccRecipients: [],
      replyTo: [],
      flag: { flagStatus: 'notFlagged' },
    };
  }
}

/**
 * A busy inbox's noise: `inWindow` broadcasts spread over the year before `asOf` and a proportional
 * few over the rest of the generated span (from `dataStart`), all in `inbox`. Times and ids come
 * from (seed, owner, index); nothing is drawn from an activity stream.
 */
export function broadcastMessages(
  owner: Person,
  ownerHash: number,
  seedHash: number,
  inbox: string,
  inWindow: number,
  dataStart: number,
  asOf: number,
): BroadcastMessage[] {
  const windowStart = asOf - 365 * DAY_MS;
  const before = Math.max(0, Math.round((inWindow * (windowStart - dataStart)) / (asOf - windowStart)));
  const out: BroadcastMessage[] = [];
  const seconds = (from: number, until: number, draw: number): number =>
    from + Math.floor((draw * Math.max(0, until - from - 60_000)) / 1000) * 1000;
  for (let i = 0; i < inWindow + before; i++) {
    const lo = mix32(seedHash, ownerHash, i, 11);
    const hi = mix32(seedHash, ownerHash, i, 12) & 0x1fffff;
    const hash = hi * 4294967296 + lo;
    const draw = mix32(seedHash, ownerHash, i, 13) / 4294967296;
    const sent = i < inWindow ? seconds(windowStart, asOf, draw) : seconds(dataStart, windowStart, draw);
    out.push(new BroadcastMessage(hash, owner, ownerHash, sent, inbox));
  }
  return out;
}

const RESPONSES = ['accepted', 'accepted', 'accepted', 'tentativelyAccepted', 'declined', 'none'] as const;

export class GeneratedEvent implements EventRecord {
  readonly id: string;
  readonly start: number;
  readonly end: number;

  constructor(
    private readonly meeting: LogicalMeeting,
    private readonly ownerId: string,
    private readonly ownerHash: number,
  ) {
    this.id = itemId(meeting.hash, ownerHash, EVENT_VARIANT);
    this.start = meeting.start;
    this.end = meeting.end;
  }

  toGraph(): GraphEvent {
    const m = this.meeting;
    const text = fakeText(m.hash);
    const isOrganizer = m.organizer.userId === this.ownerId;
    const created = epochToInstant(Math.min(m.start - 7 * DAY_MS, m.start));
    return {
      id: this.id,
      createdDateTime: created,
      lastModifiedDateTime: created,
      changeKey: changeKey(this.id),
      categories: [],
      originalStartTimeZone: 'UTC',
      originalEndTimeZone: 'UTC',
      iCalUId: m.iCalUId,
      reminderMinutesBeforeStart: 15,
      isReminderOn: true,
      hasAttachments: false,
      subject: m.isCancelled ? `Canceled: ${m.subject}` : m.subject,
      bodyPreview: text.preview,
      importance: 'normal',
      sensitivity: m.sensitivity,
      isAllDay: m.isAllDay,
      isCancelled: m.isCancelled,
      isOrganizer,
      responseRequested: true,
      seriesMasterId:
        m.seriesKey === null ? null : itemId(hashString(m.seriesKey), this.ownerHash, SERIES_VARIANT),
      showAs: m.isAllDay ? 'free' : 'busy',
      type: m.type,
      isOnlineMeeting: !m.isAllDay,
      onlineMeetingProvider: m.isAllDay ? 'unknown' : 'teamsForBusiness',
      isDraft: false,
      responseStatus: {
        response: isOrganizer ? 'organizer' : 'accepted',
        time: '0001-01-01T00:00:00Z',
      },
      body: { ...text.body },
      start: { dateTime: epochToUtcLocal(m.start), timeZone: 'UTC' },
      end: { dateTime: epochToUtcLocal(m.end), timeZone: 'UTC' },
      location: { displayName: m.isAllDay ? 'Customer site' : 'Microsoft Teams Meeting' },
      recurrence: null,
      attendees: m.attendees.map((a) => ({
        type: a.type,
        status: {
          response: RESPONSES[(m.hash + a.person.address.length * 7) % RESPONSES.length] ?? 'none',
          time: '0001-01-01T00:00:00Z',
        },
        emailAddress: { name: a.person.name, address: a.person.address },
      })),
      organizer: recipient(m.organizer),
    };
  }
}
