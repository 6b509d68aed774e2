import assert from 'node:assert/strict';
import { ActivityTypes, TestAdapter, type Activity, type ConversationAccount } from 'botbuilder';
import { execute, type AdaptiveCard, type ExecuteAction } from '../../bot/cards/adaptive';
import { AccountIndex, rankMatches } from '../../core/accounts/account-index';
import { historyLabels, historySeries, type HistoryPoint } from '../../core/conversation/history-series';
import type { EngagementRow, UserEntityRow } from '../../core/engine';
import { SIGNAL_NAMES } from '../../core/results/signal-labels';
import type { StoredEngagementRow } from '../../core/results/stored-rows';
import { ConversationRepository } from '../../core/store/conversation-repository';
import { ResultsRepository } from '../../core/store/results-repository';
import { cardOf, cardTexts, checkAdaptiveCard } from '../support/adaptive-cards';
import { appContainers, demoCustomers, saveEnrichment, tenantOf } from '../support/enrichment-fixture';
import { runToEnd } from '../support/run-api';
import { startTestApp, type TestApp } from '../support/test-app';

const TRACKED = ['ana@fabrikam.com', 'ruth.mehta@fabrikam.com'];
const CONTOSO = 'AC-00001';
const BOT = { id: '28:account-engagement', name: 'Account engagement' };

describe('bot conversation', () => {
  let app: TestApp;
  let tenantId: string;
  let results: ResultsRepository;
  let ana: UserEntityRow;
  let year: StoredEngagementRow[];

  before(async () => {
    app = await startTestApp();
    tenantId = tenantOf(app);
    results = new ResultsRepository((await appContainers(app)).results, tenantId);
    await saveEnrichment(app, { enrichmentId: 'sales', tracked: TRACKED, consentGrantedAt: Date.now() });
    const run = await runToEnd(app, 'sales');
    assert.equal(run.status, 'succeeded', run.error ?? '');
    year = await results.visibleRows<StoredEngagementRow>('Office', { level: 'Year' });
    const users = await results.visibleRows<UserEntityRow>('Office_UserEntity');
    const found = users.find((u) => u.Email === 'ana@fabrikam.com');
    assert.ok(found, 'Ana is a tracked user');
    ana = found;
  });
  after(async () => app?.close());

  /** A user's chat with the bot, as Teams sends it. */
  function chat(
    conversation: Partial<ConversationAccount> = {},
    from = { id: `29:${ana.UserId}`, aadObjectId: ana.UserId, name: 'Ana Diaz' },
  ) {
    return new TestAdapter((context) => app.stack.bot.bot.run(context), {
      channelId: 'msteams',
      serviceUrl: 'https://smba.example.invalid/teams/',
      from,
      recipient: BOT,
      conversation: {
        id: 'a:personal-ana',
        conversationType: 'personal',
        tenantId,
        isGroup: false,
        name: '',
        ...conversation,
      } as ConversationAccount,
    });
  }

  async function ask(adapter: TestAdapter, input: string | Partial<Activity>): Promise<Partial<Activity>[]> {
    await adapter.processActivity(
      typeof input === 'string' ? { type: ActivityTypes.Message, text: input } : input,
    );
    return adapter.activeQueue.splice(0);
  }

  async function askCard(adapter: TestAdapter, input: string | Partial<Activity>) {
    const replies = await ask(adapter, input);
    assert.equal(replies.length, 1, `one reply to ${JSON.stringify(input).slice(0, 80)}`);
    const card = cardOf(replies[0]);
    checkAdaptiveCard(card);
    return { card, texts: cardTexts(card) };
  }

  /** Presses an Action.Execute button: the `adaptiveCard/action` invoke, answered with the card that replaces it. */
  async function press(adapter: TestAdapter, button: ExecuteAction) {
    const replies = await ask(adapter, {
      type: ActivityTypes.Invoke,
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', id: 'x', verb: button.verb, data: button.data } },
    });
    const response = replies.find((r) => r.type === 'invokeResponse')?.value as {
      status: number;
      body: { statusCode: number; type: string; value: AdaptiveCard };
    };
    assert.equal(response.status, 200);
    assert.equal(response.body.statusCode, 200);
    checkAdaptiveCard(response.body.value);
    return { card: response.body.value, texts: cardTexts(response.body.value) };
  }

  /** Every Action.Execute of a card's body (the rows' and the chooser's buttons). */
  function executes(card: AdaptiveCard): ExecuteAction[] {
    const found: ExecuteAction[] = [];
    const visit = (value: unknown) => {
      if (Array.isArray(value)) value.forEach(visit);
      else if (typeof value === 'object' && value !== null) {
        if ((value as { type?: string }).type === 'Action.Execute') found.push(value as ExecuteAction);
        Object.values(value).forEach(visit);
      }
    };
    visit(card.body);
    return found;
  }

  const yearRow = (accountId: string) => {
    const row = year.find((r) => r.AccountId === accountId);
    assert.ok(row, accountId);
    return row;
  };

  function assertCustomerCard(texts: string[], row: EngagementRow) {
    assert.equal(texts[0], row.AccountName.replace(/([\\`*_[\]<>])/g, '\\$1'));
    assert.ok(
      texts.includes(String(row.EngagementScore)),
      `score ${row.EngagementScore} in ${texts.join(' | ')}`,
    );
    for (const value of [
      row.NoOfEmails_ToAccount,
      row.NoOfEmails_FromAccount,
      row.NoOfMeetings_ToAccount,
      row.NoOfMeetings_FromAccount,
    ]) {
      assert.ok(texts.includes(value.toLocaleString('en-US')), `${value} in ${texts.join(' | ')}`);
    }
  }

  it('answers every phrasing of the customer-card question with the stored Year row', async () => {
    const adapter = chat();
    const contoso = yearRow(CONTOSO);
    for (const question of [
      'engagement for Contoso?',
      'how engaged is Contoso',
      'Contoso',
      'show me contoso ltd',
      'CONTOSO, LTD.',
      'contosso',
      'ac-00001',
      'What is the engagement of Contoso Ltd?',
    ]) {
      const { texts } = await askCard(adapter, question);
      if (question === 'contosso') {
        // A typo finds the account, and the card says it is only the closest.
        assert.equal(texts[0], 'Showing Contoso Ltd (closest to “contosso”)');
        assertCustomerCard(texts.slice(1), contoso);
      } else {
        assertCustomerCard(texts, contoso);
      }
    }
  });

  it('offers a chooser when several accounts match and the closest names when none does', async () => {
    const adapter = chat();
    const index = new AccountIndex(year.map((r) => ({ id: r.AccountId, name: r.AccountName })));
    const scores = new Map(year.map((r) => [r.AccountId, r.EngagementScore]));
    // The first word that most account names share: more matches than a page shows.
    const counts = new Map<string, number>();
    for (const row of year) {
      const first = row.AccountName.split(' ')[0] ?? '';
      counts.set(first, (counts.get(first) ?? 0) + 1);
    }
    const [word] = [...counts.entries()]
      .filter(([w]) => index.find(w).kind === 'several')
      .sort((a, b) => b[1] - a[1])[0] ?? [''];
    const match = index.find(word);
    assert.ok(match.kind === 'several' && match.accounts.length > 10, `"${word}" matches more than 2 pages`);
    // The closest first, then the higher scored.
    const ranked = rankMatches(match.accounts, (id) => scores.get(id));
    const total = ranked.length;
    const byPage = (page: number) => ranked.slice((page - 1) * 5, page * 5).map((a) => a.id);
    const accountsOf = (card: AdaptiveCard) =>
      executes(card)
        .filter((a) => a.verb === 'customer')
        .map((a) => a.data.accountId);
    const showMore = (card: AdaptiveCard) => {
      const button = executes(card).find((a) => a.verb === 'choose' && a.title === 'Show more');
      assert.ok(button, 'a Show more button');
      return button;
    };

    const chooser = await askCard(adapter, `engagement for ${word}`);
    assert.equal(chooser.texts[0], `${total} accounts match “${word}”; the 5 closest:`);
    assert.deepEqual(accountsOf(chooser.card), byPage(1));
    const shownScores = byPage(1).map((id) => scores.get(id) ?? -1);
    assert.deepEqual(
      shownScores,
      [...shownScores].sort((a, b) => b - a),
      'equally close accounts, the higher scored first',
    );

    // "Show more" (Universal Actions) replaces the card with the next page...
    const second = await press(adapter, showMore(chooser.card));
    assert.equal(second.texts[0], `${total} accounts match “${word}”; the next 5 (6–10):`);
    assert.deepEqual(accountsOf(second.card), byPage(2));
    // ... and so does its Submit fallback, up to the last page: no account is left out.
    const seen = [...byPage(1), ...byPage(2)];
    let card = second.card;
    for (let page = 3; seen.length < total; page++) {
      const next = await askCard(adapter, {
        type: ActivityTypes.Message,
        value: showMore(card).fallback.data,
      });
      assert.deepEqual(accountsOf(next.card), byPage(page));
      seen.push(...byPage(page));
      card = next.card;
    }
    assert.deepEqual(
      seen,
      ranked.map((a) => a.id),
    );
    assert.match(cardTexts(card)[0] ?? '', new RegExp(`; the last \\d+ \\(\\d+–${total}\\):$`));
    assert.ok(!executes(card).some((a) => a.title === 'Show more'), 'no Show more on the last page');
    // A chooser's account button opens the account.
    const [first] = executes(chooser.card).filter((a) => a.verb === 'customer');
    assert.ok(first);
    const opened = await press(adapter, first);
    assertCustomerCard(opened.texts, yearRow(String(first.data.accountId)));

    const none = await askCard(adapter, 'Contoso Pharma');
    assert.match(none.texts[0] ?? '', /couldn't find an account called “Contoso Pharma”/);
    assert.ok(
      none.texts.some((t) => t.startsWith('Contoso Ltd')),
      'Contoso Ltd is suggested',
    );

    const nothing = await askCard(adapter, 'Qwxz Plv');
    assert.match(nothing.texts[0] ?? '', /couldn't find/);
    assert.match(nothing.texts[1] ?? '', /account id/);
  });

  it('handles a 10,000-character message, empty text and unknown text with a helpful answer', async () => {
    const adapter = chat();
    const long = await askCard(adapter, 'engagement for Contoso '.repeat(435).slice(0, 10_000));
    assert.match(long.texts[0] ?? '', /too long for me \(10,000 characters\)/);
    for (const input of ['', '   ', { type: ActivityTypes.Message } as Partial<Activity>]) {
      const help = await askCard(adapter, input);
      assert.ok(help.texts.includes('engagement for Contoso?'), 'the help card lists the questions');
    }
    const unknown = await askCard(
      adapter,
      "What's the weather going to be like in Paris tomorrow afternoon?",
    );
    assert.match(unknown.texts[0] ?? '', /didn't understand “What's the weather/);
    assert.ok(unknown.texts.includes('stale accounts'));
    const thanks = await ask(adapter, 'thanks!');
    assert.equal(thanks[0]?.text, "You're welcome.");
  });

  it('answers in a channel when @mentioned, with the mention removed', async () => {
    const adapter = chat({
      id: '19:general@thread.tacv2;messageid=1',
      conversationType: 'channel',
      isGroup: true,
    });
    const mention = (text: string): Partial<Activity> => ({
      type: ActivityTypes.Message,
      text,
      entities: [{ type: 'mention', mentioned: BOT, text: `<at>${BOT.name}</at>` }],
      channelData: {
        tenant: { id: tenantId },
        channel: { id: '19:general@thread.tacv2' },
        team: { id: '19:team' },
      },
    });
    const card = await askCard(adapter, mention(`<at>${BOT.name}</at> engagement for Contoso?`));
    assertCustomerCard(card.texts, yearRow(CONTOSO));
    const onlyMention = await askCard(adapter, mention(`<at>${BOT.name}</at>`));
    assert.ok(onlyMention.texts.includes('In a channel or group chat, @mention me with your question.'));

    // The channel's reference is stored without the thread, and removed with the bot.
    const repository = new ConversationRepository((await appContainers(app)).conversations, tenantId);
    const stored = await repository.shared('19:general@thread.tacv2');
    assert.equal(stored?.scope, 'channel');
    assert.equal(stored?.teamId, '19:team');
    assert.equal(
      (stored?.reference.conversation as { id?: string } | undefined)?.id,
      '19:general@thread.tacv2',
    );
    await ask(adapter, {
      type: ActivityTypes.ConversationUpdate,
      membersRemoved: [BOT],
      channelData: { tenant: { id: tenantId }, team: { id: '19:team' }, eventType: 'teamMemberRemoved' },
    });
    assert.equal(await repository.shared('19:general@thread.tacv2'), undefined);
  });

  it('reads a card button’s account only in the tenant of the activity, never another', async () => {
    const contoso = yearRow(CONTOSO);
    const elsewhere = chat({ id: 'a:personal-elsewhere', tenantId: '11111111-2222-4333-8444-555555555555' });
    for (const button of [
      execute('x', 'customer', { accountId: CONTOSO }),
      execute('x', 'choose', { query: 'Contoso', page: 1 }),
    ]) {
      const { texts } = await press(elsewhere, button);
      assert.equal(texts[0], 'There are no engagement results yet.', button.verb);
      assert.ok(!texts.some((t) => t.includes(contoso.AccountName)), texts.join(' | '));
    }
    // The card data cannot name a tenant: a tenantId in it is not read.
    const forged = execute('x', 'customer', { accountId: CONTOSO, tenantId });
    assert.equal((await press(elsewhere, forged)).texts[0], 'There are no engagement results yet.');
  });

  it('lists top, stale and my accounts from the stored rows, mine first', async () => {
    const adapter = chat();
    const byScore = (a: EngagementRow, b: EngagementRow) => b.EngagementScore - a.EngagementScore;
    // The rows' buttons carry the names (and " · yours").
    const names = (card: AdaptiveCard) =>
      executes(card)
        .filter((a) => a.verb === 'customer')
        .map((a) => a.title);

    const top = await askCard(adapter, 'top accounts');
    const best = year.filter((r) => r.EngagementScore > 0).sort(byScore);
    assert.equal(top.texts[0], 'Top accounts');
    // Every row is a button that opens its account, as a chooser's are.
    const rows = executes(top.card);
    assert.deepEqual(
      rows.map((a) => [a.verb, a.data.accountId]),
      best.slice(0, 10).map((r) => ['customer', r.AccountId]),
    );
    // The second row's button opens the second account's card.
    const [, button] = rows;
    const [, second] = best;
    assert.ok(button && second, 'two accounts or more');
    const opened = await press(adapter, button);
    assertCustomerCard(opened.texts, second);
    assert.deepEqual(
      top.card.body
        .filter((e) => e.type === 'ColumnSet')
        .map((e) => (e.type === 'ColumnSet' ? e.columns[1]?.items[0] : undefined))
        .map((t) => (t?.type === 'TextBlock' ? Number(t.text) : NaN)),
      best.slice(0, 10).map((r) => r.EngagementScore),
    );

    const anasAccounts = new Set(
      demoCustomers()
        .accounts.filter((a) => a.OwnerEmail === 'ana@fabrikam.com')
        .map((a) => a.AccountId),
    );
    const mine = await askCard(adapter, 'my accounts');
    assert.equal(mine.texts[0], 'Your accounts');
    assert.match(mine.texts[1] ?? '', new RegExp(`^${anasAccounts.size} accounts are yours: owned by you`));
    const listed = names(mine.card);
    assert.ok(listed.length > 0, 'some accounts are listed');
    for (const name of listed) {
      const row = year.find((r) => r.AccountName === name);
      assert.ok(row && anasAccounts.has(row.AccountId), `${name} is Ana's`);
    }

    const stale = (r: EngagementRow) =>
      (r.DaysSinceLastEmail === null || r.DaysSinceLastEmail > 60) &&
      (r.DaysSinceLastMeeting === null || r.DaysSinceLastMeeting > 60);
    const allStale = year.filter(stale);
    const staleMine = allStale.filter((r) => anasAccounts.has(r.AccountId));
    const staleCard = await askCard(adapter, 'stale accounts');
    assert.equal(staleCard.texts[0], 'Stale accounts');
    assert.match(
      staleCard.texts[1] ?? '',
      new RegExp(
        `^${allStale.length} accounts? without email or meeting for more than 60 days, ${staleMine.length} of them yours`,
      ),
    );
    const shownStale = names(staleCard.card);
    const firstOthers = shownStale.findIndex((t) => !t.endsWith(' · yours'));
    assert.ok(
      firstOthers === -1 || shownStale.slice(firstOthers).every((t) => !t.endsWith(' · yours')),
      'mine first',
    );
    assert.equal(shownStale.filter((t) => t.endsWith(' · yours')).length, Math.min(10, staleMine.length));
  });

  it('lists accounts at risk and unanswered accounts from the Year rows’ signals, mine first', async () => {
    const adapter = chat();
    const anasAccounts = new Set(
      demoCustomers()
        .accounts.filter((a) => a.OwnerEmail === 'ana@fabrikam.com')
        .map((a) => a.AccountId),
    );
    const byScore = (a: EngagementRow, b: EngagementRow) => b.EngagementScore - a.EngagementScore;
    /** The list as the bot must show it: Ana's first, then the others, each the best scored first. */
    const expected = (members: StoredEngagementRow[]) => {
      const mine = members.filter((r) => anasAccounts.has(r.AccountId)).sort(byScore);
      const others = members.filter((r) => !anasAccounts.has(r.AccountId)).sort(byScore);
      return { mine, shown: [...mine, ...others].slice(0, 10) };
    };
    const shownIds = (card: AdaptiveCard) =>
      executes(card)
        .filter((a) => a.verb === 'customer')
        .map((a) => a.data.accountId);
    const scores = (rows: StoredEngagementRow[]) => rows.map((r) => r.EngagementScore);

    const atRisk = year.filter((r) => (r.Signals ?? []).length > 0);
    assert.ok(atRisk.length > 0, 'the demo tenant has accounts at risk');
    const riskCard = await askCard(adapter, 'Which accounts are at risk?');
    assert.equal(riskCard.texts[0], 'Accounts at risk');
    const risk = expected(atRisk);
    assert.match(
      riskCard.texts[1] ?? '',
      new RegExp(`^${atRisk.length} accounts? with a risk signal .*, ${risk.mine.length} of them yours`),
    );
    const riskIds = shownIds(riskCard.card);
    assert.deepEqual(
      scores(riskIds.map((id) => yearRow(String(id)))),
      scores(risk.shown),
      'yours first, then the best scored',
    );
    assert.ok(riskIds.every((id) => atRisk.some((r) => r.AccountId === id)));
    const [firstRisk] = risk.shown;
    assert.ok(firstRisk);
    // Each row names its signals.
    assert.ok(
      riskCard.texts.includes(`⚠ ${(firstRisk.Signals ?? []).map((s) => SIGNAL_NAMES[s]).join(' · ')}`),
    );

    const unanswered = year.filter((r) => (r.Signals ?? []).includes('Unanswered'));
    const unansweredCard = await askCard(adapter, 'unanswered accounts');
    assert.equal(unansweredCard.texts[0], 'Unanswered accounts');
    const ua = expected(unanswered);
    assert.match(
      unansweredCard.texts[1] ?? '',
      unanswered.length
        ? new RegExp(
            `^${unanswered.length} accounts? whose recent emails from us got no reply, ${ua.mine.length} of them yours`,
          )
        : /^No account has left our recent emails unanswered\./,
    );
    assert.deepEqual(
      scores(shownIds(unansweredCard.card).map((id) => yearRow(String(id)))),
      scores(ua.shown),
    );

    // The customer card of an account at risk says which signals and what they mean.
    const card = await press(
      adapter,
      execute('x', 'customer', { accountId: firstRisk.AccountId, history: 'Month' }),
    );
    assert.ok(card.texts.includes('Risk signals'));
    assert.equal(card.texts.filter((t) => t.startsWith('⚠ **')).length, (firstRisk.Signals ?? []).length);
  });

  it('stores the conversation reference on install, greets, and removes it on uninstall', async () => {
    const adapter = chat({ id: 'a:personal-ana-2' });
    const repository = new ConversationRepository((await appContainers(app)).conversations, tenantId);
    await repository.removePersonal(ana.UserId);
    const welcome = await askCard(adapter, {
      type: ActivityTypes.ConversationUpdate,
      membersAdded: [{ id: BOT.id, name: BOT.name }],
      channelData: { tenant: { id: tenantId } },
    });
    assert.equal(welcome.texts[0], 'Welcome to Account engagement');
    const stored = await repository.personal(ana.UserId);
    assert.equal((stored?.reference.conversation as { id?: string } | undefined)?.id, 'a:personal-ana-2');
    assert.equal(stored?.name, 'Ana Diaz');

    await ask(adapter, { type: ActivityTypes.InstallationUpdate, action: 'remove' });
    assert.equal(await repository.personal(ana.UserId), undefined);
    await ask(adapter, { type: ActivityTypes.InstallationUpdate, action: 'add' });
    assert.ok(await repository.personal(ana.UserId), 'stored again on install');
  });

  it('switches the history and refreshes with Universal Actions, and with the Submit fallback', async () => {
    const adapter = chat();
    const replies = await ask(adapter, {
      type: ActivityTypes.Invoke,
      name: 'adaptiveCard/action',
      value: {
        action: {
          type: 'Action.Execute',
          id: 'x',
          verb: 'customer',
          data: { accountId: CONTOSO, history: 'Week' },
        },
      },
    });
    const response = replies.find((r) => r.type === 'invokeResponse')?.value as {
      status: number;
      body: { statusCode: number; type: string; value: unknown };
    };
    assert.equal(response.status, 200);
    assert.equal(response.body.type, 'application/vnd.microsoft.card.adaptive');
    checkAdaptiveCard(response.body.value);
    const weekTexts = cardTexts(response.body.value);
    assert.ok(weekTexts.includes('Emails, by week, last 13 weeks'), weekTexts.join(' | '));
    assert.ok(weekTexts.includes('By month'));
    // The charts carry the stored Week rows of the last 13 weeks (zeros where there is none).
    const visible = await results.visibleRun('Office');
    assert.ok(visible);
    const weeks = await results.visibleRows<EngagementRow>('Office', { level: 'Week', accountId: CONTOSO });
    const expected = historySeries(visible.asOf, 'Week', weeks);
    assert.ok(
      expected.some((p) => p.emailsTo > 0),
      'Contoso has recent weekly email',
    );
    const card = response.body.value as AdaptiveCard;
    const line = card.body.find((e) => e.type === 'Chart.Line');
    const bars = card.body.find((e) => e.type === 'Chart.VerticalBar');
    assert.deepEqual(
      line?.type === 'Chart.Line' && line.data.map((series) => series.values.map((v) => v.y)),
      [expected.map((p) => p.emailsTo), expected.map((p) => p.emailsFrom)],
    );
    assert.deepEqual(
      bars?.type === 'Chart.VerticalBar' && bars.data.map((v) => v.y),
      expected.map((p) => p.meetings),
    );

    const submitted = await askCard(adapter, {
      type: ActivityTypes.Message,
      value: { action: 'customer', accountId: CONTOSO, history: 'Month' },
    });
    assert.ok(submitted.texts.includes('Emails, by month, last 12 months'));
    assertCustomerCard(submitted.texts, yearRow(CONTOSO));

    // By month, the same months and numbers as the tab's customer card (its API and its series).
    const tabCard = await app.api<{ asOf: string; months: HistoryPoint[] }>(
      'GET',
      `/api/enrichments/sales/accounts/${CONTOSO}`,
    );
    assert.equal(tabCard.status, 200);
    const tabMonths = tabCard.body.months;
    const monthCard = submitted.card;
    const monthLine = monthCard.body.find((e) => e.type === 'Chart.Line');
    const monthBars = monthCard.body.find((e) => e.type === 'Chart.VerticalBar');
    const monthRows = await results.visibleRows<EngagementRow>('Office', {
      level: 'Month',
      accountId: CONTOSO,
    });
    const points = historySeries(visible.asOf, 'Month', monthRows);
    assert.deepEqual(points, tabMonths);
    assert.deepEqual(
      points.map((p) => p.start),
      tabMonths.map((p) => p.start),
    );
    assert.deepEqual(
      monthLine?.type === 'Chart.Line' &&
        monthLine.data.map((series) => series.values.map((v) => [v.x, v.y])),
      [
        tabMonths.map((p, i) => [historyLabels(points, 'Month')[i], p.emailsTo]),
        tabMonths.map((p, i) => [historyLabels(points, 'Month')[i], p.emailsFrom]),
      ],
    );
    assert.deepEqual(
      monthBars?.type === 'Chart.VerticalBar' && monthBars.data.map((v) => v.y),
      tabMonths.map((p) => p.meetingsTo + p.meetingsFrom),
    );

    const bad = await ask(adapter, {
      type: ActivityTypes.Invoke,
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', id: 'x', verb: 'customer', data: { accountId: '' } } },
    });
    assert.equal(
      (bad.find((r) => r.type === 'invokeResponse')?.value as { body: { statusCode: number } }).body
        .statusCode,
      400,
    );
  });
});
