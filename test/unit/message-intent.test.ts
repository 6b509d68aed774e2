import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseCardAction } from '../../core/conversation/card-actions';
import {
  MAX_MESSAGE_LENGTH,
  parseIntent,
  plainText,
  type Intent,
} from '../../core/conversation/message-intent';

const account = (query: string): Intent => ({ kind: 'account', query });

describe('message intent', () => {
  it('reads the customer-card question in its many phrasings, keeping the name as typed', () => {
    const cases: [string, string][] = [
      ['engagement for Contoso?', 'Contoso'],
      ['how engaged is Contoso', 'Contoso'],
      ['Contoso', 'Contoso'],
      ['show me contoso ltd', 'contoso ltd'],
      ['  Engagement  for   Contoso Ltd.?!  ', 'Contoso Ltd'],
      ["what's the engagement of Margie's Travel?", "Margie's Travel"],
      ['How is Northwind Traders doing?', 'Northwind Traders'],
      ['how are we doing with Fabrikam', 'Fabrikam'],
      ['tell me about Adventure Works', 'Adventure Works'],
      ['Contoso engagement', 'Contoso'],
      ['score for AC-00001', 'AC-00001'],
      ['card for “Contoso”', 'Contoso'],
      ['look up the account Tailspin Toys', 'Tailspin Toys'],
      ['AC-00042', 'AC-00042'],
      ['City Power & Light', 'City Power & Light'],
    ];
    for (const [text, name] of cases) assert.deepEqual(parseIntent(text), account(name), text);
  });

  it('reads the list and help questions', () => {
    const cases: [string, Intent['kind']][] = [
      ['stale accounts', 'stale'],
      ['Stale accounts?', 'stale'],
      ['show me my stale accounts', 'stale'],
      ['which accounts are stale', 'stale'],
      ['accounts going quiet', 'stale'],
      ['accounts at risk', 'at-risk'],
      ['Which accounts are at risk?', 'at-risk'],
      ['show me my at-risk customers', 'at-risk'],
      ['at risk', 'at-risk'],
      ['unanswered accounts', 'unanswered'],
      ['Unanswered emails?', 'unanswered'],
      ['who hasn’t replied?', 'unanswered'],
      ['which customers have not answered', 'unanswered'],
      ['accounts not replying', 'unanswered'],
      ['top accounts', 'top'],
      ['Top 10 accounts', 'top'],
      ['most engaged customers', 'top'],
      ['my accounts', 'mine'],
      ['My customers please', 'mine'],
      ['accounts I own', 'mine'],
      ['help', 'help'],
      ['Hi!', 'help'],
      ['what can you do?', 'help'],
      ['?', 'empty'],
      ['thanks!', 'thanks'],
    ];
    for (const [text, kind] of cases) assert.equal(parseIntent(text).kind, kind, text);
  });

  it('answers sentences, empty and overlong messages without guessing an account', () => {
    assert.deepEqual(parseIntent(''), { kind: 'empty' });
    assert.deepEqual(parseIntent(' \n\t '), { kind: 'empty' });
    assert.deepEqual(parseIntent(undefined), { kind: 'empty' });
    assert.deepEqual(parseIntent('<at>Account engagement</at>'), { kind: 'empty' });
    assert.deepEqual(parseIntent('x'.repeat(10_000)), { kind: 'too-long', length: 10_000 });
    assert.equal(parseIntent('x'.repeat(MAX_MESSAGE_LENGTH)).kind, 'unknown');
    for (const sentence of [
      'what is the weather in Paris tomorrow',
      'Can you book a meeting with Contoso next week for me please',
      'please remind me to call my mother on Sunday evening after dinner',
    ]) {
      assert.equal(parseIntent(sentence).kind, 'unknown', sentence);
    }
  });

  it('turns Teams HTML into plain text', () => {
    assert.equal(
      plainText('<p>engagement&nbsp;for <b>Contoso</b> &amp; co</p>'),
      'engagement for Contoso & co',
    );
    assert.equal(plainText('<at>Bot</at> top accounts'), 'top accounts');
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 700 }), (text) => {
        const intent = parseIntent(text);
        assert.ok(
          [
            'help',
            'thanks',
            'account',
            'stale',
            'at-risk',
            'unanswered',
            'top',
            'mine',
            'empty',
            'too-long',
            'unknown',
          ].includes(intent.kind),
        );
        if (intent.kind === 'account') assert.ok(intent.query.length > 0 && intent.query.length <= 80);
      }),
    );
  });

  it('validates card actions from Universal Actions and from the Submit fallback alike', () => {
    assert.deepEqual(parseCardAction('customer', { accountId: 'AC-1', history: 'Week' }), {
      action: 'customer',
      accountId: 'AC-1',
      history: 'Week',
    });
    assert.deepEqual(parseCardAction(undefined, { action: 'customer', accountId: 'AC-1' }), {
      action: 'customer',
      accountId: 'AC-1',
      history: 'Month',
    });
    assert.deepEqual(parseCardAction('snooze', { alertId: 'a', enrichmentId: 'e', accountId: 'AC-1' }), {
      action: 'snooze',
      alertId: 'a',
      enrichmentId: 'e',
      accountId: 'AC-1',
    });
    // A chooser's "Show more": the name typed and the page to show, as Execute and as Submit.
    assert.deepEqual(parseCardAction('choose', { query: ' Blue ', page: 2 }), {
      action: 'choose',
      query: 'Blue',
      page: 2,
    });
    assert.deepEqual(parseCardAction(undefined, { action: 'choose', query: 'Blue', page: 3 }), {
      action: 'choose',
      query: 'Blue',
      page: 3,
    });
    for (const [verb, data] of [
      ['choose', { query: 'Blue' }],
      ['choose', { query: '', page: 2 }],
      ['choose', { query: 'Blue', page: 0 }],
      ['choose', { query: 'Blue', page: 1.5 }],
      ['choose', { query: 'Blue', page: '2' }],
      ['choose', { query: 'Blue', page: 10_000 }],
      ['choose', { query: 'x'.repeat(81), page: 2 }],
      ['customer', { accountId: '' }],
      ['customer', { accountId: 'AC-1', history: 'Year' }],
      ['snooze', { accountId: 'AC-1' }],
      ['delete', { accountId: 'AC-1' }],
      [undefined, 'customer'],
      [undefined, null],
      [undefined, ['x']],
    ] as const) {
      assert.equal(parseCardAction(verb, data), undefined, JSON.stringify([verb, data]));
    }
  });
});
