import assert from 'node:assert/strict';
import { accountListCard } from '../../bot/cards/account-list-card';
import {
  plain,
  type AdaptiveCard,
  type ExecuteAction,
  type LineChart,
  type VerticalBarChart,
} from '../../bot/cards/adaptive';
import { alertCard, resolvedAlertCard } from '../../bot/cards/alert-card';
import { chooserCard, noticeCard, notFoundCard } from '../../bot/cards/choice-cards';
import { customerCard } from '../../bot/cards/customer-card';
import { helpCard } from '../../bot/cards/help-card';
import { tabLinks } from '../../bot/cards/tab-links';
import { minutes } from '../../bot/cards/format';
import { formatMeetingLength } from '../../core/conversation/durations';
import { historyFromCounts, historySeries } from '../../core/conversation/history-series';
import { formatDecimal } from '../../tab/web/src/ui/format';
import { cardTexts, checkAdaptiveCard, MAX_CARD_BYTES } from '../support/adaptive-cards';
import { busyAccount, busyCard, busyRows, links, sampleAlert, sampleList } from '../support/bot-card-data';

function elements(card: AdaptiveCard) {
  const all: unknown[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) {
      all.push(value);
      Object.values(value).forEach(visit);
    }
  };
  visit(card.body);
  return all as { type?: string }[];
}

/** Every Action.Execute of a card's body, wherever it sits (buttons of rows, ActionSets). */
function executes(card: AdaptiveCard): ExecuteAction[] {
  return elements(card).filter((e): e is ExecuteAction => e.type === 'Action.Execute');
}

const BLUE = Array.from({ length: 12 }, (_, i) => ({
  id: `AC-${100 + i}`,
  name: `Blue ${String.fromCharCode(65 + i)}`,
  score: 95 - i * 8,
}));

describe('bot cards', () => {
  it('shows an account with its score, band, trend, counts, contacts, durations and as-of date', () => {
    const card = customerCard(busyAccount('Month'), links);
    checkAdaptiveCard(card);
    const texts = cardTexts(card);
    for (const expected of [
      'Contoso Ltd',
      'AC-00001 · data as of 4 Mar 2026',
      '82',
      'High · ▲ 6 since the last run',
      '1,234',
      '987',
      '42',
      '7',
      '3 days ago',
      'yesterday',
      'Tue 10 Mar 2026, 14:00 UTC',
      '6 of ours · 11 of theirs',
      '4 of ours · 5 of theirs',
      '45 min',
      '5.5 h',
      '10 Mar 2025',
      'Emails, by month, last 12 months',
      'Open full card',
      'By week',
      'Refresh',
    ]) {
      assert.ok(texts.includes(expected), `"${expected}" in ${texts.join(' | ')}`);
    }
    const open = card.actions?.find((a) => a.type === 'Action.OpenUrl');
    assert.equal(
      open?.type === 'Action.OpenUrl' ? open.url : '',
      'http://localhost:3978/tab/#/customers/AC-00001',
    );
  });

  it('charts every period of the history, with a fallback table of the same numbers', () => {
    for (const level of ['Month', 'Week'] as const) {
      const data = busyAccount(level);
      const card = customerCard(data, links);
      const parsed = checkAdaptiveCard(card);
      const points = historySeries(data.asOf, level, busyRows(level));
      assert.equal(points.length, 13);
      const line = elements(card).find((e): e is LineChart => e.type === 'Chart.Line');
      const bars = elements(card).find((e): e is VerticalBarChart => e.type === 'Chart.VerticalBar');
      assert.deepEqual(
        line?.data[0]?.values.map((v) => v.y),
        points.map((p) => p.emailsTo),
      );
      assert.deepEqual(
        line?.data[1]?.values.map((v) => v.y),
        points.map((p) => p.emailsFrom),
      );
      assert.deepEqual(
        bars?.data.map((v) => v.y),
        points.map((p) => p.meetings),
      );
      // Clients without Teams charts (the library stands for them) show the fallback facts.
      const facts = JSON.stringify(parsed);
      assert.ok(!facts.includes('Chart.'), 'the library replaced the charts by their fallbacks');
      assert.ok(
        facts.includes(`"value":"${points.at(-1)?.emailsTo} to · ${points.at(-1)?.emailsFrom} from"`),
      );
    }
  });

  it("charts the tab's months, with years across the new year and the partial months marked", () => {
    // As of 4 Mar 2026: the year from 4 Mar 2025, so March 2025 from the 4th and March 2026 so far.
    const data = busyAccount('Month');
    const points = historySeries(data.asOf, 'Month', busyRows('Month'));
    const tab = historyFromCounts(data.asOf, 'Month', busyCard().history.Month, { wholeWindow: true });
    assert.deepEqual(
      points.map((p) => [p.start, p.emailsTo, p.emailsFrom, p.meetingsTo, p.meetingsFrom]),
      tab.map((p) => [p.start, p.emailsTo, p.emailsFrom, p.meetingsTo, p.meetingsFrom]),
      "the same months and numbers as the tab's customer card",
    );
    const card = customerCard(data, links);
    const line = elements(card).find((e): e is LineChart => e.type === 'Chart.Line');
    const bars = elements(card).find((e): e is VerticalBarChart => e.type === 'Chart.VerticalBar');
    const labels = [
      "Mar '25 (from 4th)",
      'Apr',
      'May',
      'Jun',
      'Jul',
      'Aug',
      'Sep',
      'Oct',
      'Nov',
      'Dec',
      "Jan '26",
      'Feb',
      "Mar '26 (so far)",
    ];
    assert.deepEqual(
      line?.data[0]?.values.map((v) => v.x),
      labels,
    );
    assert.deepEqual(
      bars?.data.map((v) => v.x),
      labels,
    );
    // Narrow charts shorten labels to a few letters: the axis title and a caption say it in full.
    assert.equal(line?.xAxisTitle, 'Month, Mar 2025 – Mar 2026');
    assert.equal(bars?.xAxisTitle, 'Month, Mar 2025 – Mar 2026');
    assert.ok(cardTexts(card).includes('Part months: March 2025 from the 4th, March 2026 so far.'));
    const fallback = line?.fallback.type === 'FactSet' ? line.fallback.facts.map((f) => f.title) : [];
    assert.deepEqual(fallback, labels);

    // A year of whole months (as of the 1st, midnight) has neither marks nor a caption.
    const wholeAsOf = '2026-03-01T00:00:00.000Z';
    const whole = {
      ...data,
      asOf: wholeAsOf,
      history: { level: 'Month' as const, points: historySeries(wholeAsOf, 'Month', busyRows('Month')) },
    };
    const wholePoints = historySeries(whole.asOf, 'Month', []);
    assert.equal(wholePoints.length, 12);
    assert.ok(wholePoints.every((p) => !p.partial));
    const wholeCard = customerCard(whole, links);
    const wholeLine = elements(wholeCard).find((e): e is LineChart => e.type === 'Chart.Line');
    assert.deepEqual(
      wholeLine?.data[0]?.values.map((v) => v.x),
      ["Mar '25", 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', "Jan '26", "Feb '26"],
    );
    assert.ok(!cardTexts(wholeCard).some((t) => t.startsWith('Part month')));

    // The whole window's weeks are the tab's weeks (the bot's card shows the last 13 of them).
    const weekRows = busyRows('Week');
    const allWeeks = historySeries(data.asOf, 'Week', weekRows, { wholeWindow: true });
    assert.deepEqual(
      allWeeks.map((p) => [p.start, p.emailsTo, p.emailsFrom, p.meetingsTo, p.meetingsFrom]),
      historyFromCounts(data.asOf, 'Week', busyCard().history.Week, { wholeWindow: true }).map((p) => [
        p.start,
        p.emailsTo,
        p.emailsFrom,
        p.meetingsTo,
        p.meetingsFrom,
      ]),
    );
    assert.deepEqual(allWeeks.slice(-13), historySeries(data.asOf, 'Week', weekRows));

    // Weeks: the last 13, the current one so far; the span with its year on the axis.
    const weeks = customerCard(busyAccount('Week'), links);
    const weekLine = elements(weeks).find((e): e is LineChart => e.type === 'Chart.Line');
    assert.equal(weekLine?.data[0]?.values.at(-1)?.x, '2 Mar (so far)');
    assert.equal(weekLine?.data[0]?.values[0]?.x, '8 Dec');
    assert.equal(weekLine?.xAxisTitle, 'Week starting, 8 Dec 2025 – 2 Mar 2026');
    assert.ok(cardTexts(weeks).includes('Part week: the week of 2 Mar so far.'));
  });

  it('rounds meeting lengths as the tab does, with one shared function', () => {
    for (const value of [0, 0.04, 0.05, 12, 44.95, 45, 47.46, 59.96, 60, 95.34, 1234.56]) {
      // The tab's own formatting (its browser's locale; Node's default here).
      assert.equal(formatMeetingLength(value), formatDecimal(value, ' min'), String(value));
    }
    assert.equal(minutes(47.46), '47.5 min');
    assert.equal(minutes(95.34), '95.3 min');
    assert.equal(minutes(45), '45 min');
    assert.equal(minutes(null), 'no meetings');
  });

  it('fills quiet periods with zeros and says so when the whole history is quiet', () => {
    const data = busyAccount('Month');
    const march = busyRows('Month').at(-1);
    assert.ok(march);
    const sparse = {
      ...data,
      history: { level: 'Month' as const, points: historySeries(data.asOf, 'Month', [march]) },
    };
    const points = sparse.history.points;
    assert.deepEqual(
      points.map((p) => p.emailsTo),
      [...Array.from({ length: points.length - 1 }, () => 0), march.NoOfEmails_ToAccount],
    );
    const quiet = customerCard(
      { ...data, history: { level: 'Week', points: historySeries(data.asOf, 'Week', []) } },
      links,
    );
    checkAdaptiveCard(quiet);
    assert.ok(cardTexts(quiet).includes('No email or meeting with this account in that time.'));
    assert.ok(!elements(quiet).some((e) => e.type?.startsWith('Chart.')));
  });

  it('stays under 28 KB with long names and a full week history, and shows names as written', () => {
    const name = `*Très* long_name [with] <markup> & ${'x'.repeat(180)}`;
    const card = customerCard(busyAccount('Week', name), links);
    assert.ok(Buffer.byteLength(JSON.stringify(card)) < MAX_CARD_BYTES);
    checkAdaptiveCard(card);
    const title = cardTexts(card)[0] ?? '';
    assert.ok(title.startsWith('\\*Très\\* long\\_name \\[with\\] \\<markup\\> & '), title);
    const line = elements(card).find((e): e is LineChart => e.type === 'Chart.Line');
    assert.equal(line?.data[0]?.legend, `To ${name}`, 'chart legends are not Markdown');
  });

  it('escapes Markdown lists, numbering, headings and quotes at line starts in names', () => {
    assert.equal(plain('- item\n- item2'), '\\- item\n\\- item2');
    assert.equal(plain('1. x'), '1\\. x');
    assert.equal(plain('12) x'), '12\\) x');
    assert.equal(plain('  + x\n* y'), '  \\+ x\n\\* y');
    assert.equal(plain('# Heading'), '\\# Heading');
    assert.equal(plain('> quoted'), '\\> quoted');
    assert.equal(plain('Contoso\n==='), 'Contoso\n\\===');
    assert.equal(plain('Contoso - East 1. Div'), 'Contoso - East 1. Div', 'only at the start of a line');
    assert.equal(plain('\u0000- item'), '\\- item', 'a hidden character does not shield a list');
    for (const name of ['- item\n- item2', '1. x']) {
      const card = customerCard(busyAccount('Month', name), links);
      checkAdaptiveCard(card);
      assert.equal(cardTexts(card)[0], plain(name));
      const alert = alertCard({ ...sampleAlert(), accountName: name }, links);
      assert.ok(cardTexts(alert)[0]?.startsWith(plain(name)), cardTexts(alert)[0]);
    }
  });

  it('strips NUL, controls and bidi overrides from every name a card shows', () => {
    const names = ['Con\u202etoso', 'A\u0000B', 'Fab\u2066rikam\u2069\u0007'];
    const shown = ['Contoso', 'AB', 'Fabrikam'];
    const list = sampleList();
    const [mine] = list.accounts;
    assert.ok(mine);
    const cards = names.map((name, i) => [
      customerCard(busyAccount('Month', name), links),
      alertCard({ ...sampleAlert(), accountName: name }, links),
      resolvedAlertCard({ ...sampleAlert(), accountName: name }, { kind: 'declined' }, links),
      accountListCard({ ...list, accounts: [{ ...mine, name }] }, 'known'),
      chooserCard(name, [{ id: `AC-${i}`, name }]),
      notFoundCard(name, [{ id: `AC-${i}`, name }]),
      helpCard({ notUnderstood: name }),
    ]);
    for (const [i, set] of cards.entries()) {
      for (const card of set) {
        checkAdaptiveCard(card);
        const json = JSON.stringify(card);
        // eslint-disable-next-line no-control-regex -- the characters that must not reach a card
        assert.doesNotMatch(json, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/);
        assert.ok(json.includes(shown[i] ?? ''), `${shown[i]} in ${json.slice(0, 200)}`);
      }
    }
    const chart = elements(cards[0]?.[0] as AdaptiveCard).find(
      (e): e is LineChart => e.type === 'Chart.Line',
    );
    assert.equal(chart?.data[0]?.legend, 'To Contoso', 'chart legends too');
    assert.equal(
      cards[0]?.[1]?.fallbackText?.startsWith('Contoso has gone quiet'),
      true,
      'and fallback text',
    );
  });

  it('renders lists, choices, help, notices and alerts as valid cards', () => {
    const list = sampleList();
    const stale = accountListCard(list, 'known');
    checkAdaptiveCard(stale);
    const staleTexts = cardTexts(stale);
    assert.deepEqual(staleTexts.slice(0, 2), [
      'Stale accounts',
      '12 accounts without email or meeting for more than 60 days, 1 of them yours. Showing 2: yours first, then the highest scored. Data as of 4 Mar 2026.',
    ]);
    assert.ok(staleTexts.indexOf('Mine Ltd · yours') < staleTexts.indexOf('Theirs plc'));
    assert.ok(staleTexts.includes('Email 80 days ago · meeting none in the last year'));
    const unknownUser = accountListCard({ ...list, kind: 'mine', accounts: [] }, 'unknown-user');
    checkAdaptiveCard(unknownUser);
    assert.match(cardTexts(unknownUser)[1] ?? '', /couldn't tell which accounts are yours/);

    const accounts = [
      { id: 'AC-1', name: 'Adventure Works' },
      { id: 'AC-2', name: 'Adventure Works Cycles' },
    ];
    for (const card of [
      chooserCard('adventure', accounts),
      notFoundCard('adventur works', accounts),
      notFoundCard('qwxz', []),
      helpCard({ welcome: true }),
      helpCard({ notUnderstood: 'what *is* this', shared: true }),
      noticeCard('There are no engagement results yet.', 'Ask again later.'),
    ]) {
      checkAdaptiveCard(card);
    }
    assert.deepEqual(
      chooserCard('adventure', accounts).body.flatMap((e) =>
        e.type === 'ActionSet' ? e.actions.map((a) => a.title) : [],
      ),
      ['Adventure Works (AC-1)', 'Adventure Works Cycles (AC-2)'],
    );

    const alert = sampleAlert();
    const fresh = alertCard(alert, links);
    checkAdaptiveCard(fresh);
    assert.deepEqual(
      fresh.actions?.map((a) => a.title),
      ['Open card', 'Snooze 30 days', 'Not my account'],
    );
    assert.ok(cardTexts(fresh).includes('64 days ago'));
    assert.ok(cardTexts(fresh).includes('22 (Low)'));
    const snoozed = resolvedAlertCard(alert, { kind: 'snoozed', until: '2026-04-03T00:00:00.000Z' }, links);
    checkAdaptiveCard(snoozed);
    assert.ok(
      cardTexts(snoozed).some((t) => t.startsWith('Snoozed until 3 Apr 2026.')),
      cardTexts(snoozed).join(' | '),
    );
    assert.deepEqual(
      snoozed.actions?.map((a) => a.title),
      ['Open card'],
    );

    // Each signal says what happened in its own words; an alert without a signal is a Stale one.
    const headline = (signal?: 'Unanswered' | 'SingleThreaded' | 'Cooling') =>
      cardTexts(alertCard({ ...alert, ...(signal ? { signal } : {}), thresholdDays: 30 }, links)).slice(0, 2);
    assert.deepEqual(headline(), [
      `${alert.accountName} has gone quiet`,
      'No email and no meeting with this account for more than 30 days.',
    ]);
    assert.deepEqual(headline('Cooling'), [
      `${alert.accountName} is cooling`,
      'The last 30 days had less than half the usual email and meetings with this account.',
    ]);
    assert.equal(headline('Unanswered')[0], `${alert.accountName} has not answered`);
    assert.equal(headline('SingleThreaded')[0], `${alert.accountName} hangs on one contact`);
  });

  it('makes every row of an account list a button that opens the account', () => {
    const list = sampleList();
    const name = '*Très* long_name [with] <markup>';
    const [, theirs] = list.accounts;
    assert.ok(theirs);
    const card = accountListCard(
      { ...list, accounts: [...list.accounts, { ...theirs, accountId: 'AC-3', name }] },
      'known',
    );
    checkAdaptiveCard(card);
    assert.deepEqual(
      executes(card).map((a) => [a.title, a.verb, a.data]),
      [
        ['Mine Ltd · yours', 'customer', { action: 'customer', accountId: 'AC-1', history: 'Month' }],
        ['Theirs plc', 'customer', { action: 'customer', accountId: 'AC-2', history: 'Month' }],
        // Button titles are plain text, not Markdown: the name as written.
        [name, 'customer', { action: 'customer', accountId: 'AC-3', history: 'Month' }],
      ],
    );
    // A button, not a row that only reacts to a tap without looking like it would.
    assert.ok(!elements(card).some((e) => 'selectAction' in e));
    const mine = accountListCard({ ...list, kind: 'mine' }, 'known');
    assert.deepEqual(
      executes(mine).map((a) => a.title),
      ['Mine Ltd', 'Theirs plc'],
      'no "yours" in a list of only theirs',
    );
  });

  it('says how many accounts match and shows them a page at a time, the closest first', () => {
    const pageOf = (offset: number) =>
      chooserCard('Blue', BLUE.slice(offset, offset + 5), { total: BLUE.length, offset });
    const paging = (card: AdaptiveCard) =>
      executes(card)
        .filter((a) => a.verb === 'choose')
        .map((a) => [a.title, a.data.page]);
    const accountsOf = (card: AdaptiveCard) =>
      executes(card)
        .filter((a) => a.verb === 'customer')
        .map((a) => a.data.accountId);

    const first = pageOf(0);
    checkAdaptiveCard(first);
    assert.equal(cardTexts(first)[0], '12 accounts match “Blue”; the 5 closest:');
    assert.deepEqual(accountsOf(first), ['AC-100', 'AC-101', 'AC-102', 'AC-103', 'AC-104']);
    assert.ok(cardTexts(first).includes('Blue A (AC-100)'));
    assert.ok(
      cardTexts(first).includes('95') && cardTexts(first).includes('High'),
      'scores beside the names',
    );
    assert.deepEqual(paging(first), [['Show more', 2]]);
    const more = executes(first).find((a) => a.verb === 'choose');
    assert.deepEqual(more?.data, { action: 'choose', query: 'Blue', page: 2 });

    const second = pageOf(5);
    checkAdaptiveCard(second);
    assert.equal(cardTexts(second)[0], '12 accounts match “Blue”; the next 5 (6–10):');
    assert.deepEqual(paging(second), [
      ['Show more', 3],
      ['Previous', 1],
    ]);
    const last = pageOf(10);
    checkAdaptiveCard(last);
    assert.equal(cardTexts(last)[0], '12 accounts match “Blue”; the last 2 (11–12):');
    assert.deepEqual(accountsOf(last), ['AC-110', 'AC-111']);
    assert.deepEqual(paging(last), [['Previous', 2]]);

    const few = chooserCard('adventure', BLUE.slice(0, 2));
    assert.equal(cardTexts(few)[0], '2 accounts match “adventure”. Which one do you mean?');
    assert.deepEqual(paging(few), []);

    // What the seller typed is shown as written, and sent back as typed.
    const marked = chooserCard('*Blue*', BLUE.slice(0, 5), { total: 12, offset: 0 });
    assert.equal(cardTexts(marked)[0], '12 accounts match “\\*Blue\\*”; the 5 closest:');
    assert.equal(executes(marked).find((a) => a.verb === 'choose')?.data.query, '*Blue*');

    // Past the last page it turns to, the card says how many more match rather than dropping them.
    const capped = chooserCard('b', BLUE.slice(0, 5), { total: 1200, offset: 995 });
    checkAdaptiveCard(capped);
    assert.deepEqual(paging(capped), [['Previous', 199]]);
    assert.ok(cardTexts(capped).includes('200 more accounts match: type more of the name to find them.'));
  });

  it('says which account it shows when the name typed was only close to it', () => {
    const card = customerCard(busyAccount('Month'), links, { closestTo: 'contos*so*' });
    checkAdaptiveCard(card);
    assert.equal(cardTexts(card)[0], 'Showing Contoso Ltd (closest to “contos\\*so\\*”)');
    assert.equal(cardTexts(card)[1], 'Contoso Ltd');
    const plainCard = customerCard(busyAccount('Month'), links);
    assert.equal(cardTexts(plainCard)[0], 'Contoso Ltd');
  });

  it('links to the tab inside Teams with the app id, and to the tab itself without', () => {
    assert.equal(links.customer('AC 1/2'), 'http://localhost:3978/tab/#/customers/AC%201%2F2');
    const teams = tabLinks({ teamsAppId: '11111111-1111-4111-8111-111111111111', tabUrl: () => 'unused' });
    const url = new URL(teams.customer('AC-00001'));
    assert.equal(
      url.origin + url.pathname,
      'https://teams.microsoft.com/l/entity/11111111-1111-4111-8111-111111111111/customers',
    );
    assert.deepEqual(JSON.parse(url.searchParams.get('context') ?? ''), {
      subEntityId: 'customers/AC-00001',
    });
  });
});
