import assert from 'node:assert/strict';
import { customerCard } from '../../bot/cards/customer-card';
import { scoreExplanationText } from '../../core/results/score-explanation';
import { cardTexts, checkAdaptiveCard, MAX_CARD_BYTES } from '../support/adaptive-cards';
import { busyAccount, links } from '../support/bot-card-data';
import { EXPLANATION, explainedAccount } from '../support/score-explanation-data';

describe('bot customer card: the explained score', () => {
  it('says what the tab says: the rank, the points by kind largest first, what a meeting would do', () => {
    const card = customerCard(explainedAccount(), links);
    checkAdaptiveCard(card);
    assert.ok(Buffer.byteLength(JSON.stringify(card)) < MAX_CARD_BYTES);
    const texts = cardTexts(card);
    const words = scoreExplanationText(EXPLANATION);
    assert.ok(texts.includes('Why 80?'));
    assert.ok(texts.includes('Ranks 37th of 180 active accounts'));
    assert.ok(
      texts.includes('A score of 80 means its activity matches or beats 80% of the active accounts.'),
    );
    assert.ok(texts.includes('A meeting with them now would move it to about 84.'));
    assert.ok(texts.includes(words.how));
    const facts = card.body.flatMap((e) => (e.type === 'FactSet' ? e.facts : []));
    const parts = facts.filter((f) => ['Meetings', 'Emails from them', 'Emails to them'].includes(f.title));
    assert.deepEqual(parts, [
      { title: 'Meetings', value: '8.0 points · 64%' },
      { title: 'Emails from them', value: '3.0 points · 24%' },
      { title: 'Emails to them', value: '1.5 points · 12%' },
    ]);
  });

  it('explains an account without activity without a points table', () => {
    const quiet = { ...EXPLANATION, emailsTo: 0, emailsFrom: 0, meetings: 0, score: 0, rank: null };
    const card = customerCard(explainedAccount({ ...quiet, scoreWithMeeting: 1 }), links);
    const texts = cardTexts(card);
    assert.ok(texts.includes('Why 0?'));
    assert.ok(texts.includes('Not ranked yet: no email or meeting counted in the last 12 months'));
    assert.ok(texts.includes('A meeting with them now would move it to about 1.'));
    const facts = card.body.flatMap((e) => (e.type === 'FactSet' ? e.facts : []));
    assert.ok(!facts.some((f) => f.title === 'Meetings'));
  });

  it('shows nothing of it for a run from before scores were explained', () => {
    const texts = cardTexts(customerCard(busyAccount('Month'), links));
    assert.ok(!texts.some((t) => t.startsWith('Why ')));
  });
});
