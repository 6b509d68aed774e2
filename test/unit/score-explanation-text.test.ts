import assert from 'node:assert/strict';
import { DEFAULT_WEIGHTS } from '../../core/engine/settings';
import {
  ordinal,
  scoreExplanationText,
  type CardScoreExplanation,
} from '../../core/results/score-explanation';

const explained = (fields: Partial<CardScoreExplanation>): CardScoreExplanation => ({
  emailsTo: 0,
  emailsFrom: 0,
  meetings: 0,
  score: 0,
  rank: null,
  tiedWith: 0,
  activeAccounts: 180,
  scoreWithMeeting: 0,
  weights: DEFAULT_WEIGHTS,
  halfLifeDays: 90,
  ...fields,
});

describe('the explained score in words', () => {
  it('says the rank among the active accounts, the parts largest first, and what a meeting would do', () => {
    // 2 + 1.25 + 0.75 = 4 points: meetings half, emails from them 31%, emails to them 19%.
    const text = scoreExplanationText(
      explained({ emailsTo: 0.75, emailsFrom: 1.25, meetings: 2, score: 68, rank: 58, scoreWithMeeting: 74 }),
    );
    assert.equal(text.title, 'Why 68?');
    assert.equal(text.rank, 'Ranks 58th of 180 active accounts');
    assert.equal(
      text.meaning,
      'A score of 68 means its activity matches or beats 68% of the active accounts.',
    );
    assert.deepEqual(
      text.parts.map((p) => [p.label, p.points, p.percent]),
      [
        ['Meetings', '2.0', 50],
        ['Emails from them', '1.3', 31],
        ['Emails to them', '0.8', 19],
      ],
    );
    assert.equal(text.raise, 'A meeting with them now would move it to about 74.');
    assert.equal(
      text.how,
      'A meeting counts 4 points, an email from them 1.5 and an email to them 1; each counts half as much every 90 days, so recent activity weighs most.',
    );
  });

  it('names a shared place, and leaves out kinds that gave nothing', () => {
    const text = scoreExplanationText(
      explained({
        emailsTo: 0.01,
        score: 67,
        rank: 2,
        tiedWith: 1,
        activeAccounts: 3,
        scoreWithMeeting: 100,
      }),
    );
    assert.equal(text.rank, 'Shares 2nd place with 1 other of 3 active accounts');
    assert.deepEqual(
      text.parts.map((p) => [p.label, p.points, p.percent]),
      [['Emails to them', '<0.1', 100]],
    );
    assert.equal(
      scoreExplanationText(explained({ meetings: 1, score: 50, rank: 3, tiedWith: 4 })).rank,
      'Shares 3rd place with 4 others of 180 active accounts',
    );
  });

  it('explains an account without activity: not ranked, no parts, what a first meeting would give', () => {
    const text = scoreExplanationText(explained({ scoreWithMeeting: 75, activeAccounts: 3 }));
    assert.equal(text.title, 'Why 0?');
    assert.equal(text.rank, 'Not ranked yet: no email or meeting counted in the last 12 months');
    assert.equal(text.meaning, 'An account scores 0 until it has counted activity; 3 accounts have some.');
    assert.deepEqual(text.parts, []);
    assert.equal(text.raise, 'A meeting with them now would move it to about 75.');
  });

  it('says when a meeting would not change the score, and when the account leads', () => {
    const behind = explained({ emailsTo: 0.2, score: 20, rank: 145, scoreWithMeeting: 20 });
    assert.equal(
      scoreExplanationText(behind).raise,
      'One meeting would not be enough to pass the next account: it takes several meetings or emails.',
    );
    const top = explained({ meetings: 30, score: 100, rank: 1, scoreWithMeeting: 100 });
    assert.equal(
      scoreExplanationText(top).raise,
      'It is at the top: keep in touch to stay there as older activity counts less.',
    );
    const only = explained({ meetings: 1, score: 100, rank: 1, activeAccounts: 1, scoreWithMeeting: 100 });
    assert.equal(scoreExplanationText(only).rank, 'Ranks 1st of 1 active account');
    assert.equal(
      scoreExplanationText(only).meaning,
      'It is the only account with counted activity, so it scores 100.',
    );
  });

  it("words the worked example of docs/metrics.md: Northwind's card", () => {
    const text = scoreExplanationText(
      explained({
        emailsTo: 0.5,
        emailsFrom: 0.75,
        score: 67,
        rank: 2,
        tiedWith: 1,
        activeAccounts: 3,
        scoreWithMeeting: 100,
      }),
    );
    assert.deepEqual(
      [
        text.title,
        text.rank,
        ...text.parts.map((p) => `${p.label} ${p.points} points · ${p.percent}%`),
        text.raise,
      ],
      [
        'Why 67?',
        'Shares 2nd place with 1 other of 3 active accounts',
        'Emails from them 0.8 points · 60%',
        'Emails to them 0.5 points · 40%',
        'A meeting with them now would move it to about 100.',
      ],
    );
  });

  it('writes ordinals the English way', () => {
    assert.deepEqual([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 37, 101, 111, 112, 1000].map(ordinal), [
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '23rd',
      '37th',
      '101st',
      '111th',
      '112th',
      '1000th',
    ]);
  });
});
