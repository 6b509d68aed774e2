import { adaptiveCard, plain, text, type AdaptiveCard, type Element } from './adaptive';

export interface HelpOptions {
  /** The card greets a user who just installed the app. */
  welcome?: boolean;
  /** What the user wrote that the bot did not understand (shown back to them). */
  notUnderstood?: string;
  /** The conversation is a channel or group chat, where the bot answers when @mentioned. */
  shared?: boolean;
}

/** The welcome and help card: what the bot answers and how to ask. */
export function helpCard(options: HelpOptions = {}): AdaptiveCard {
  const lead: Element[] = options.notUnderstood
    ? [
        text(`Sorry, I didn't understand “${plain(options.notUnderstood)}”.`, { weight: 'Bolder' }),
        text('Here is what I can answer:', { spacing: 'Small' }),
      ]
    : [
        text(options.welcome ? 'Welcome to Account engagement' : 'Account engagement', {
          weight: 'Bolder',
          size: 'Large',
        }),
        text(
          'How engaged are your customer accounts? Scores come from email and meeting metadata over the last year, never from content.',
        ),
      ];
  return adaptiveCard(
    [
      ...lead,
      {
        type: 'FactSet',
        facts: [
          {
            title: 'engagement for Contoso?',
            value: "An account's customer card (a name, part of it, or its id)",
          },
          { title: 'stale accounts', value: 'Accounts gone quiet, yours first' },
          { title: 'accounts at risk', value: 'Accounts with any risk signal, yours first' },
          { title: 'unanswered accounts', value: 'Accounts not replying to our emails, yours first' },
          { title: 'top accounts', value: 'The most engaged accounts' },
          { title: 'my accounts', value: 'The accounts you own' },
          { title: 'help', value: 'This card' },
        ],
      },
      ...(options.shared
        ? [
            text('In a channel or group chat, @mention me with your question.', {
              isSubtle: true,
              size: 'Small',
            }),
          ]
        : []),
    ],
    [],
    'Ask "engagement for Contoso?", "stale accounts", "accounts at risk", "unanswered accounts", "top accounts", "my accounts" or "help".',
  );
}
