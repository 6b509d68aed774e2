/** The welcome and help card: what the bot answers and how to ask. */
export function helpCard(): Record<string, unknown> {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: 'Account engagement', weight: 'Bolder', size: 'Large' },
      {
        type: 'TextBlock',
        wrap: true,
        text: 'How engaged are your customer accounts? Scores come from email and meeting metadata over the last year, never from content.',
      },
      {
        type: 'FactSet',
        facts: [
          { title: 'engagement for Contoso?', value: "An account's customer card" },
          { title: 'stale accounts', value: 'Accounts with no email and no meeting for 60+ days' },
          { title: 'top accounts', value: 'The most engaged accounts' },
          { title: 'help', value: 'This card' },
        ],
      },
    ],
  };
}
