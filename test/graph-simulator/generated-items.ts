/**
 * Turns logical mail and meetings into the copies one mailbox holds: the sender's copy in Sent Items,
 * each internal recipient's copy in the Inbox (same internetMessageId, its own Graph id), drafts in
 * Drafts; and one event per internal participant's calendar (same iCalUId).
 */
import type { GraphEvent, GraphMessage, Recipient } from './fixture-schema';
import { epochToInstant, epochToUtcLocal } from './fixture-schema';
import type { LogicalMail, LogicalMeeting, Person } from './generator-model';
import { internetMessageId } from './activity-streams';
import { hashString, mixBytes } from './random';
import type { EventRecord, MessageRecord } from './tenant-source';
import { FAKE_SENTENCES } from './tenant-names';

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
    const created = epochToInstant(Math.min(m.start - 7 * 86_400_000, m.start));
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
      sensitivity: 'normal',
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
