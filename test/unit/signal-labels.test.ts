import assert from 'node:assert/strict';
import { customerCard } from '../../bot/cards/customer-card';
import { signalThresholdsSchema } from '../../core/engine/signals';
import { signalLabels, signalThresholdsOf } from '../../core/results/signal-labels';
import { cardTexts, checkAdaptiveCard } from '../support/adaptive-cards';
import { busyAccount, links } from '../support/bot-card-data';

const DEFAULTS = signalThresholdsSchema.parse({});

describe('signal labels', () => {
  it("says what each signal means with the contract's thresholds, in the signals' order", () => {
    assert.deepEqual(
      signalLabels(['Cooling', 'Unanswered', 'SingleThreaded', 'Stale'], DEFAULTS).map(
        (label) => `${label.name}: ${label.meaning}`,
      ),
      [
        'Stale: No email or meeting in more than 60 days',
        'Unanswered: 3 or more emails to them in 30 days, no reply',
        'Single-threaded: 5 or more emails and meetings in 90 days, all with one person of theirs',
        'Cooling: Emails and meetings in the last 30 days under half of their usual pace',
      ],
    );
  });

  it('names the enrichment’s thresholds, Stale’s from its stale threshold', () => {
    const thresholds = signalThresholdsOf({
      engagement: {
        signals: signalThresholdsSchema.parse({
          unansweredDays: 14,
          unansweredMinEmails: 2,
          coolingRatio: 0.4,
          coolingRecentDays: 21,
        }),
      },
      staleThresholdDays: 45,
    });
    assert.deepEqual(
      signalLabels(['Stale', 'Unanswered', 'Cooling'], thresholds).map((label) => label.meaning),
      [
        'No email or meeting in more than 45 days',
        '2 or more emails to them in 14 days, no reply',
        'Emails and meetings in the last 21 days under 40% of their usual pace',
      ],
    );
  });

  it('gives nothing for an account without signals, or a row of a run before signals existed', () => {
    assert.deepEqual(signalLabels([], DEFAULTS), []);
    assert.deepEqual(signalLabels(undefined, DEFAULTS), []);
    assert.deepEqual(signalLabels(null, DEFAULTS), []);
  });

  it("shows the bot card's risk signals with the same words, and no section without them", () => {
    const card = customerCard({ ...busyAccount('Month'), signals: ['Unanswered', 'Cooling'] }, links, {
      thresholds: { ...DEFAULTS, unansweredMinEmails: 4 },
    });
    checkAdaptiveCard(card);
    const texts = cardTexts(card);
    assert.ok(texts.includes('Risk signals'));
    assert.ok(texts.includes('⚠ **Unanswered**: 4 or more emails to them in 30 days, no reply'));
    assert.ok(
      texts.includes('⚠ **Cooling**: Emails and meetings in the last 30 days under half of their usual pace'),
    );
    assert.ok(!texts.some((text) => text.includes('Stale')));

    const calm = cardTexts(customerCard({ ...busyAccount('Month'), signals: [] }, links));
    assert.ok(!calm.includes('Risk signals'));
  });
});
