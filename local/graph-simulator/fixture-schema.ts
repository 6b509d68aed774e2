/**
 * The tenant fixture format (shared/spec/tenant-fixture.md) as zod schemas, and the Graph object
 * types the simulator serves. Graph objects are loose: unknown Graph properties are kept as they are.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { rootFolderId } from './mail-folders';

const isoInstant = z.iso.datetime({
  offset: true,
  message: 'expected an ISO 8601 date-time with Z or offset',
});

/** Graph `dateTimeTimeZone` as calendarView returns it: local time in the named zone (UTC only). */
const dateTimeTimeZone = z.object({
  dateTime: z
    .string()
    .regex(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?$/,
      "expected a local date-time like '2026-03-01T10:00:00.0000000'",
    ),
  timeZone: z.literal('UTC', { message: "only timeZone 'UTC' is supported" }),
});

export const emailAddressSchema = z.looseObject({
  name: z.string().optional(),
  address: z.string().min(1, 'an email address is required'),
});

export const recipientSchema = z.object({ emailAddress: emailAddressSchema });

const itemBodySchema = z.looseObject({
  contentType: z.enum(['text', 'html']),
  content: z.string(),
});

export const messageSchema = z.looseObject({
  id: z.string().min(1),
  internetMessageId: z.string().optional(),
  conversationId: z.string().optional(),
  isDraft: z.boolean().default(false),
  sentDateTime: isoInstant.nullable().optional(),
  receivedDateTime: isoInstant.nullable().optional(),
  createdDateTime: isoInstant.optional(),
  lastModifiedDateTime: isoInstant.optional(),
  from: recipientSchema.nullable().optional(),
  sender: recipientSchema.nullable().optional(),
  toRecipients: z.array(recipientSchema).default([]),
  ccRecipients: z.array(recipientSchema).default([]),
  bccRecipients: z.array(recipientSchema).default([]),
  replyTo: z.array(recipientSchema).optional(),
  parentFolderId: z.string().min(1).optional(),
  subject: z.string().nullable().optional(),
  body: itemBodySchema.optional(),
  bodyPreview: z.string().optional(),
});

const attendeeSchema = z.looseObject({
  type: z.enum(['required', 'optional', 'resource']).default('required'),
  status: z
    .looseObject({
      response: z.enum(['none', 'organizer', 'tentativelyAccepted', 'accepted', 'declined', 'notResponded']),
      time: z.string().optional(),
    })
    .optional(),
  emailAddress: emailAddressSchema,
});

export const eventSchema = z
  .looseObject({
    id: z.string().min(1),
    iCalUId: z.string().min(1).optional(),
    type: z.enum(['singleInstance', 'occurrence', 'exception', 'seriesMaster']).default('singleInstance'),
    seriesMasterId: z.string().nullable().default(null),
    isCancelled: z.boolean().default(false),
    isAllDay: z.boolean().default(false),
    sensitivity: z.enum(['normal', 'personal', 'private', 'confidential']).optional(),
    start: dateTimeTimeZone,
    end: dateTimeTimeZone,
    organizer: recipientSchema.nullable().optional(),
    attendees: z.array(attendeeSchema).default([]),
    subject: z.string().nullable().optional(),
    body: itemBodySchema.optional(),
    bodyPreview: z.string().optional(),
  })
  .superRefine((event, ctx) => {
    if (utcLocalToEpoch(event.end.dateTime) < utcLocalToEpoch(event.start.dateTime)) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'end is before start' });
    }
  })
  .transform((event) => ({ ...event, iCalUId: event.iCalUId ?? event.id }));

export const mailFolderSchema = z.looseObject({
  id: z.string().min(1),
  displayName: z.string(),
  wellKnownName: z.string().optional(),
  /** The parent folder's id; absent: a top-level folder (a child of the root). */
  parentFolderId: z.string().min(1).optional(),
  isHidden: z.boolean().optional(),
});

export const userSchema = z.looseObject({
  id: z.string().min(1),
  displayName: z.string(),
  mail: z.string().nullable().optional(),
  userPrincipalName: z.string().min(1),
});

export const groupSchema = z.looseObject({
  id: z.string().min(1),
  displayName: z.string(),
  mail: z.string().nullable().optional(),
  members: z.array(z.string().min(1)).default([]),
});

export const mailboxSchema = z.object({
  messages: z.array(messageSchema).default([]),
  events: z.array(eventSchema).default([]),
  /**
   * Optional: the mailbox's folders (a folder's `parentFolderId` is another listed folder's id, or
   * absent at the top level). Without it each mailbox has the well-known folders.
   */
  mailFolders: z.array(mailFolderSchema).optional(),
});

export const tenantInfoSchema = z.looseObject({
  id: z.string().min(1),
  displayName: z.string(),
  verifiedDomains: z.array(z.string().min(1)).min(1, 'at least one verified domain is required'),
});

export const tenantFixtureSchema = z.object({
  tenant: tenantInfoSchema,
  users: z.array(userSchema),
  groups: z.array(groupSchema).default([]),
  mailboxes: z.record(z.string(), mailboxSchema).default({}),
});

export type EmailAddress = z.infer<typeof emailAddressSchema>;
export type Recipient = z.infer<typeof recipientSchema>;
export type GraphMessage = z.infer<typeof messageSchema>;
/** Events keep any other Graph property a fixture carries. */
export type GraphEvent = z.infer<typeof eventSchema> & { [property: string]: unknown };
export type GraphUser = z.infer<typeof userSchema>;
export type FixtureGroup = z.infer<typeof groupSchema>;
export type MailFolder = z.infer<typeof mailFolderSchema>;
export type MailboxFixture = z.infer<typeof mailboxSchema>;
export type TenantInfo = z.infer<typeof tenantInfoSchema>;
export type TenantFixture = z.infer<typeof tenantFixtureSchema>;
/** What a fixture file may contain before defaults are applied. */
export type TenantFixtureInput = z.input<typeof tenantFixtureSchema>;
export type GraphMessageInput = z.input<typeof messageSchema>;
export type GraphEventInput = z.input<typeof eventSchema>;

/** Epoch milliseconds of a Graph local date-time in UTC ('2026-03-01T10:00:00.0000000'). */
export function utcLocalToEpoch(dateTime: string): number {
  const [main = '', fraction = ''] = dateTime.split('.');
  const base = Date.parse(`${main.length === 16 ? `${main}:00` : main}Z`);
  return base + Math.floor(Number(`0.${fraction || '0'}`) * 1000);
}

/** Graph local date-time in UTC, with Graph's seven fractional digits. */
export function epochToUtcLocal(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}0000`;
}

/** Graph instant format for messages ('2026-03-01T10:00:00Z'). */
export function epochToInstant(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
}

/** Formats a zod issue path the way a reader of the JSON file would point at it. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out || '(root)';
}

export class FixtureError extends Error {
  constructor(
    message: string,
    readonly problems: readonly string[],
    /** The file system error code (ENOENT, EACCES, ...) when the file could not be read. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'FixtureError';
  }
}

/** Fixtures this module has validated, so they are not validated twice. */
const validated = new WeakSet<object>();

function schemaProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${formatIssuePath(issue.path)}: ${issue.message}`);
}

function referenceProblems(fixture: TenantFixture): string[] {
  const problems: string[] = [];
  const userIds = new Set<string>();
  fixture.users.forEach((user, i) => {
    if (userIds.has(user.id)) problems.push(`users[${i}].id: duplicate user id "${user.id}"`);
    userIds.add(user.id);
  });
  const groupIds = new Set<string>();
  fixture.groups.forEach((group, i) => {
    if (groupIds.has(group.id) || userIds.has(group.id)) {
      problems.push(`groups[${i}].id: duplicate directory object id "${group.id}"`);
    }
    groupIds.add(group.id);
  });
  fixture.groups.forEach((group, i) => {
    group.members.forEach((member, j) => {
      if (!userIds.has(member) && !groupIds.has(member)) {
        problems.push(`groups[${i}].members[${j}]: "${member}" is neither a user id nor a group id`);
      }
    });
  });
  for (const [userId, mailbox] of Object.entries(fixture.mailboxes)) {
    const where = formatIssuePath(['mailboxes', userId]);
    if (!userIds.has(userId)) problems.push(`${where}: no user has the id "${userId}"`);
    const seen = new Set<string>();
    mailbox.messages.forEach((message, i) => {
      if (seen.has(message.id)) problems.push(`${where}.messages[${i}].id: duplicate id "${message.id}"`);
      seen.add(message.id);
    });
    const folderIds = new Set((mailbox.mailFolders ?? []).map((f) => f.id));
    const seenFolders = new Set<string>();
    (mailbox.mailFolders ?? []).forEach((folder, i) => {
      if (seenFolders.has(folder.id))
        problems.push(`${where}.mailFolders[${i}].id: duplicate id "${folder.id}"`);
      seenFolders.add(folder.id);
      const parent = folder.parentFolderId;
      if (parent !== undefined && parent !== rootFolderId(userId) && !folderIds.has(parent)) {
        problems.push(
          `${where}.mailFolders[${i}].parentFolderId: no folder of this mailbox has the id "${parent}"`,
        );
      }
      if (parent === folder.id) problems.push(`${where}.mailFolders[${i}].parentFolderId: a folder's own id`);
    });
    const seenEvents = new Set<string>();
    mailbox.events.forEach((event, i) => {
      if (seenEvents.has(event.id)) problems.push(`${where}.events[${i}].id: duplicate id "${event.id}"`);
      seenEvents.add(event.id);
    });
  }
  return problems;
}

/**
 * Validates a fixture object. Throws a FixtureError whose message names the source and the JSON path
 * of every bad field (at most the first ten).
 */
export function parseTenantFixture(input: unknown, source = 'tenant fixture'): TenantFixture {
  const parsed = tenantFixtureSchema.safeParse(input);
  const problems = parsed.success ? referenceProblems(parsed.data) : schemaProblems(parsed.error);
  if (problems.length > 0 || !parsed.success) {
    const shown = problems.slice(0, 10);
    const more = problems.length > shown.length ? ` (and ${problems.length - shown.length} more)` : '';
    throw new FixtureError(`${source} is not a valid tenant fixture: ${shown.join('; ')}${more}`, problems);
  }
  validated.add(parsed.data);
  return parsed.data;
}

/** The fixture, validated unless it came out of `parseTenantFixture` / `loadTenantFixture` already. */
export function ensureTenantFixture(input: unknown, source = 'tenant fixture'): TenantFixture {
  if (typeof input === 'object' && input !== null && validated.has(input)) return input as TenantFixture;
  return parseTenantFixture(input, source);
}

/** Reads and validates a fixture JSON file. */
export async function loadTenantFixture(path: string): Promise<TenantFixture> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new FixtureError(`tenant fixture ${path} cannot be read (${code})`, [code], code);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FixtureError(`tenant fixture ${path} is not valid JSON: ${(error as Error).message}`, [
      'malformed JSON',
    ]);
  }
  return parseTenantFixture(json, `tenant fixture ${path}`);
}
