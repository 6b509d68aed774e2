import assert from 'node:assert/strict';
import {
  eventToActivity,
  messageToActivity,
  parseGraphDateTime,
  type GraphEvent,
  type GraphMessage,
} from '../../core/graph/mapping.ts';

const who = (address: string) => ({ emailAddress: { address, name: 'Someone' } });

describe('graph mapping: messages', () => {
  const message: GraphMessage = {
    id: 'AAMkAG1',
    internetMessageId: '<m1@fabrikam.com>',
    conversationId: 'conv-1',
    isDraft: false,
    sentDateTime: '2026-02-10T09:30:00Z',
    receivedDateTime: '2026-02-10T09:30:02Z',
    from: who('  Ana@Fabrikam.com '),
    toRecipients: [who('bob@contoso.com'), who('BOB@contoso.com ')],
    ccRecipients: [who('carol@contoso.com')],
    bccRecipients: [who('dan@contoso.com'), { emailAddress: { address: '   ' } }],
    parentFolderId: 'AAMkInbox',
  };

  it('maps metadata to an email activity with normalised addresses and epoch ms', () => {
    assert.deepEqual(messageToActivity(message), {
      kind: 'email',
      id: '<m1@fabrikam.com>',
      conversationId: 'conv-1',
      isDraft: false,
      sent: Date.UTC(2026, 1, 10, 9, 30),
      from: 'ana@fabrikam.com',
      recipients: ['bob@contoso.com', 'carol@contoso.com', 'dan@contoso.com'],
    });
  });

  it('falls back to the Graph id when internetMessageId is missing', () => {
    const activity = messageToActivity({ ...message, internetMessageId: null });
    assert.equal(activity?.id, 'AAMkAG1');
    assert.equal(messageToActivity({ ...message, internetMessageId: ' ' })?.id, 'AAMkAG1');
  });

  it('tolerates missing sender, recipients and conversation', () => {
    const activity = messageToActivity({
      id: 'x',
      sentDateTime: '2026-01-01T00:00:00Z',
      from: null,
      toRecipients: null,
    });
    assert.deepEqual(activity, {
      kind: 'email',
      id: 'x',
      conversationId: null,
      isDraft: false,
      sent: Date.UTC(2026, 0, 1),
      from: null,
      recipients: [],
    });
  });

  it('skips items without an id or a time; an unsent draft has no time', () => {
    assert.equal(messageToActivity({ ...message, id: undefined }), undefined);
    assert.equal(messageToActivity({ ...message, sentDateTime: null, isDraft: true }), undefined);
    assert.equal(
      messageToActivity({ ...message, sentDateTime: 'yesterday', receivedDateTime: null }),
      undefined,
    );
    // A non-draft without sentDateTime uses its received time.
    assert.equal(
      messageToActivity({ ...message, sentDateTime: null })?.sent,
      Date.parse('2026-02-10T09:30:02Z'),
    );
  });

  it('keeps drafts flagged so the engine can ignore them', () => {
    assert.equal(messageToActivity({ ...message, isDraft: true })?.isDraft, true);
  });
});

describe('graph mapping: events', () => {
  const event: GraphEvent = {
    id: 'AAMkEv1',
    iCalUId: 'ical-1',
    type: 'occurrence',
    seriesMasterId: 'AAMkMaster',
    isCancelled: false,
    isAllDay: false,
    sensitivity: 'private',
    start: { dateTime: '2026-03-02T15:00:00.0000000', timeZone: 'UTC' },
    end: { dateTime: '2026-03-02T15:45:00.0000000', timeZone: 'UTC' },
    organizer: who('Ana@Fabrikam.com'),
    attendees: [who('bob@contoso.com'), who('ana@fabrikam.com'), who('Bob@Contoso.com')],
  };

  it('maps an occurrence to a meeting activity, start and end as UTC', () => {
    assert.deepEqual(eventToActivity(event), {
      kind: 'meeting',
      id: 'ical-1',
      isCancelled: false,
      isAllDay: false,
      sensitivity: 'private',
      start: Date.UTC(2026, 2, 2, 15, 0),
      end: Date.UTC(2026, 2, 2, 15, 45),
      organizer: 'ana@fabrikam.com',
      attendees: ['bob@contoso.com', 'ana@fabrikam.com'],
    });
  });

  it('keeps cancelled and all-day flags, falls back to the Graph id, and skips series masters', () => {
    const flagged = eventToActivity({ ...event, isCancelled: true, isAllDay: true, iCalUId: null });
    assert.equal(flagged?.isCancelled, true);
    assert.equal(flagged?.isAllDay, true);
    assert.equal(flagged?.id, 'AAMkEv1');
    assert.equal(eventToActivity({ ...event, type: 'seriesMaster' }), undefined);
    assert.equal(eventToActivity({ ...event, start: null }), undefined);
  });

  it('keeps the sensitivity Graph gives, and reads a missing or unknown one as normal', () => {
    for (const sensitivity of ['normal', 'personal', 'private', 'confidential']) {
      assert.equal(eventToActivity({ ...event, sensitivity })?.sensitivity, sensitivity);
    }
    assert.equal(eventToActivity({ ...event, sensitivity: null })?.sensitivity, 'normal');
    assert.equal(eventToActivity({ ...event, sensitivity: 'unknownFutureValue' })?.sensitivity, 'normal');
  });
});

describe('graph mapping: dateTimeTimeZone', () => {
  it('reads UTC wall-clock times regardless of the process time zone', () => {
    assert.equal(
      parseGraphDateTime({ dateTime: '2026-07-01T08:00:00.1234567', timeZone: 'UTC' }),
      Date.UTC(2026, 6, 1, 8, 0, 0, 123),
    );
    assert.equal(
      parseGraphDateTime({ dateTime: '2026-07-01T08:00', timeZone: 'Etc/UTC' }),
      Date.UTC(2026, 6, 1, 8),
    );
    assert.equal(parseGraphDateTime({ dateTime: '2026-07-01T08:00:00' }), Date.UTC(2026, 6, 1, 8));
  });

  it('honours an explicit offset and converts IANA zones, across daylight saving', () => {
    assert.equal(
      parseGraphDateTime({ dateTime: '2026-07-01T08:00:00+02:00', timeZone: 'UTC' }),
      Date.UTC(2026, 6, 1, 6),
    );
    assert.equal(
      parseGraphDateTime({ dateTime: '2026-07-01T08:00:00.0000000', timeZone: 'Europe/Berlin' }),
      Date.UTC(2026, 6, 1, 6),
    );
    assert.equal(
      parseGraphDateTime({ dateTime: '2026-01-15T08:00:00.0000000', timeZone: 'America/New_York' }),
      Date.UTC(2026, 0, 15, 13),
    );
  });

  it('refuses unreadable values and unknown zones', () => {
    assert.equal(parseGraphDateTime({ dateTime: 'next Tuesday', timeZone: 'UTC' }), undefined);
    assert.equal(parseGraphDateTime({ dateTime: '', timeZone: 'UTC' }), undefined);
    assert.equal(
      parseGraphDateTime({ dateTime: '2026-01-15T08:00:00', timeZone: 'Mars/Olympus' }),
      undefined,
    );
  });
});
