import assert from 'node:assert/strict';
import { accountListCard } from '../../bot/cards/account-list-card';
import type { AdaptiveCard, LineChart, VerticalBarChart } from '../../bot/cards/adaptive';
import { alertCard, resolvedAlertCard } from '../../bot/cards/alert-card';
import { chooserCard, noticeCard, notFoundCard } from '../../bot/cards/choice-cards';
import { customerCard } from '../../bot/cards/customer-card';
import { helpCard } from '../../bot/cards/help-card';
import { tabLinks } from '../../bot/cards/tab-links';
import { historySeries } from '../../core/conversation/history-series';
import { cardTexts, checkAdaptiveCard, MAX_CARD_BYTES } from '../support/adaptive-cards';
import { busyAccount, links, sampleAlert, sampleList } from '../support/bot-card-data';

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
      const points = historySeries(data.asOf, level, data.history.rows);
      assert.equal(points.length, level === 'Month' ? 12 : 13);
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

  it('fills quiet periods with zeros and says so when the whole history is quiet', () => {
    const data = busyAccount('Month');
    const march = data.history.rows.at(-1);
    assert.ok(march);
    const sparse = { ...data, history: { level: 'Month' as const, rows: [march] } };
    const points = historySeries(sparse.asOf, 'Month', sparse.history.rows);
    assert.deepEqual(
      points.map((p) => p.emailsTo),
      [...Array.from({ length: 11 }, () => 0), march.NoOfEmails_ToAccount],
    );
    const quiet = customerCard({ ...data, history: { level: 'Week', rows: [] } }, links);
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
