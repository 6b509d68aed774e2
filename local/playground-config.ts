import { randomUUID } from 'node:crypto';
import type { GeneratedTenant } from './graph-simulator';

/** A Teams user as the Agents Playground plays it. */
export interface PlaygroundUser {
  /** Entra object id: the bot sees it as `from.aadObjectId`. */
  aadObjectId: string;
  name: string;
  email: string;
  givenName?: string;
  surname?: string;
}

/** Who the Playground's chat is with: the tenant, the signed-in user and their colleagues. */
export interface PlaygroundPeople {
  tenantId: string;
  botName: string;
  currentUser: PlaygroundUser;
  users: PlaygroundUser[];
}

/** The Playground's ids for the bot and its chats (any stable values do). */
const BOT_ID = '00000000-0000-0000-0000-00000000b07a';

function user(person: PlaygroundUser, indent: string): string {
  const [given = person.name, ...rest] = person.name.split(' ');
  const fields: [string, string][] = [
    ['id', `29:${person.aadObjectId}`],
    ['name', person.name],
    // The Playground's own spelling of the field.
    ['userPrincipleName', person.email],
    ['aadObjectId', person.aadObjectId],
    ['givenName', person.givenName ?? given],
    ['surname', person.surname ?? (rest.join(' ') || given)],
    ['email', person.email],
  ];
  // JSON strings are YAML double-quoted scalars, so every value is written safely.
  return fields
    .map(([key, value], i) => `${i === 0 ? '' : indent}${key}: ${JSON.stringify(value)}`)
    .join('\n');
}

/**
 * The Playground's configuration file (`.m365agentsplayground.yml`, version 0.1.1): the tenant of
 * the chats, who the signed-in user is and which colleagues appear in group chats and the team.
 * Pointing it at a demo seller makes "my accounts" and proactive alerts work as they do in Teams.
 */
export function playgroundConfig(people: PlaygroundPeople): string {
  return [
    'version: "0.1.1"',
    `tenantId: ${JSON.stringify(people.tenantId)}`,
    'bot:',
    `  id: ${JSON.stringify(BOT_ID)}`,
    `  name: ${JSON.stringify(people.botName)}`,
    'currentUser:',
    `  ${user(people.currentUser, '  ')}`,
    'users:',
    ...people.users.map((u) => `  - ${user(u, '    ')}`),
    'personalChat:',
    `  id: ${JSON.stringify(randomUUID())}`,
    'groupChat:',
    `  id: ${JSON.stringify(randomUUID())}`,
    '  name: "Sales chat"',
    'team:',
    '  id: "team-sales"',
    '  name: "Sales"',
    `  aadGroupId: ${JSON.stringify(randomUUID())}`,
    '  channels:',
    '    - id: "channel-accounts"',
    '      name: "Accounts"',
    '',
  ].join('\n');
}

/** The Playground's user is the demo tenant's first seller (Ana Diaz, who owns Contoso); the next five (the fewest it takes) are colleagues. */
export function playgroundPeople(tenant: GeneratedTenant): PlaygroundPeople {
  const person = (user: GeneratedTenant['sellers'][number]): PlaygroundUser => ({
    aadObjectId: user.id,
    name: user.displayName,
    email: user.mail ?? user.userPrincipalName,
  });
  const [first, ...others] = tenant.sellers;
  if (!first) throw new Error('The demo tenant has no sellers.');
  return {
    tenantId: tenant.tenant.id,
    botName: 'Account engagement',
    currentUser: person(first),
    users: others.slice(0, 5).map(person),
  };
}
