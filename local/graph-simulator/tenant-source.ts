/**
 * What the simulator serves: a tenant's directory (held in memory; it is small) and its mailboxes
 * (asked for one at a time, so a large generated tenant never has to exist in memory at once).
 */
import type {
  FixtureGroup,
  GraphEvent,
  GraphMessage,
  GraphUser,
  MailFolder,
  TenantFixture,
  TenantInfo,
} from './fixture-schema';
import { loadTenantFixture, utcLocalToEpoch } from './fixture-schema';
import {
  defaultMailFolders,
  ensureFolderPath,
  impliedFolderName,
  isWellKnownFolderName,
  ROOT_FOLDER_NAME,
  rootFolderId,
  SYNC_ISSUES_CHILDREN,
  type WellKnownFolderName,
} from './mail-folders';

/** A message as the simulator filters and sorts it; the full Graph object is built only when served. */
export interface MessageRecord {
  readonly id: string;
  /** sentDateTime as epoch milliseconds, null when the message has none. */
  readonly sent: number | null;
  readonly received: number | null;
  readonly isDraft: boolean;
  /** A folder id of this mailbox (never a well-known name). */
  readonly parentFolderId: string;
  /** The full Graph object, including subject, body and bodyPreview. */
  toGraph(): GraphMessage;
}

/** An event occurrence (as calendarView returns them); start and end are epoch milliseconds (UTC). */
export interface EventRecord {
  readonly id: string;
  readonly start: number;
  readonly end: number;
  toGraph(): GraphEvent;
}

export interface MailboxContent {
  /** Ascending by sentDateTime (then id). */
  readonly messages: readonly MessageRecord[];
  /** Ascending by start (then id). */
  readonly events: readonly EventRecord[];
}

export interface TenantSource {
  readonly tenant: TenantInfo;
  readonly users: readonly GraphUser[];
  readonly groups: readonly FixtureGroup[];
  /** The mailbox of a user of `users`; empty content when the user has no mail or events. */
  mailbox(userId: string): MailboxContent;
  /**
   * The user's mail folders, including the well-known ones (with `wellKnownName`) and every folder
   * below them, but not the root (`msgfolderroot`, `rootFolderId(userId)`): a folder without
   * `parentFolderId`, or with the root's id there, is at the top level.
   */
  mailFolders(userId: string): readonly MailFolder[];
}

export const EMPTY_MAILBOX: MailboxContent = Object.freeze({ messages: [], events: [] });

function instant(value: string | null | undefined): number | null {
  return value ? Date.parse(value) : null;
}

export function compareMessages(a: MessageRecord, b: MessageRecord): number {
  const d = (a.sent ?? a.received ?? 0) - (b.sent ?? b.received ?? 0);
  if (d !== 0) return d;
  const r = (a.received ?? 0) - (b.received ?? 0);
  if (r !== 0) return r;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function compareEvents(a: EventRecord, b: EventRecord): number {
  return a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Wraps a stored Graph message. */
export function messageRecord(message: GraphMessage, parentFolderId: string): MessageRecord {
  const stored: GraphMessage = { ...message, parentFolderId };
  return {
    id: stored.id,
    sent: instant(stored.sentDateTime),
    received: instant(stored.receivedDateTime),
    isDraft: stored.isDraft,
    parentFolderId,
    toGraph: () => stored,
  };
}

export function eventRecord(event: GraphEvent): EventRecord {
  return {
    id: event.id,
    start: utcLocalToEpoch(event.start.dateTime),
    end: utcLocalToEpoch(event.end.dateTime),
    toGraph: () => event,
  };
}

/**
 * The id of the mailbox's well-known folder `name`, adding it to `folders` (with its parent, for the
 * children of Sync Issues) when a fixture's own folder list lacks it.
 */
export function wellKnownFolder(userId: string, folders: MailFolder[], name: WellKnownFolderName): string {
  const found = folders.find((f) => f.wellKnownName?.toLowerCase() === name);
  if (found) return found.id;
  const definition = defaultMailFolders(userId).find((f) => f.wellKnownName === name);
  if (definition === undefined) throw new Error(`no well-known folder '${name}'`);
  if (name in SYNC_ISSUES_CHILDREN) {
    return addFolder(folders, {
      ...definition,
      parentFolderId: wellKnownFolder(userId, folders, 'syncissues'),
    });
  }
  return addFolder(folders, definition);
}

function addFolder(folders: MailFolder[], folder: MailFolder): string {
  folders.push(folder);
  return folder.id;
}

/**
 * The id of the folder a path of display names names when the folders exist already (display names
 * compared case-insensitively, as a fixture's own folders may have ids of their own), else undefined.
 */
function findFolderPath(userId: string, folders: MailFolder[], path: string): string | undefined {
  const segments = path
    .split('/')
    .map((segment) => segment.trim())
    .filter(Boolean);
  const [first, ...rest] = segments;
  if (first === undefined) return undefined;
  const root = rootFolderId(userId);
  const child = (parent: string, name: string): MailFolder | undefined =>
    folders.find(
      (f) => (f.parentFolderId ?? root) === parent && f.displayName.toLowerCase() === name.toLowerCase(),
    );
  let id = isWellKnownFolderName(first)
    ? wellKnownFolder(userId, folders, first.toLowerCase() as WellKnownFolderName)
    : child(root, first)?.id;
  for (const name of rest) {
    if (id === undefined) return undefined;
    id = child(id, name)?.id;
  }
  return id;
}

/**
 * Resolves a message's folder to the **id** of a folder of the mailbox's tree (adding folders to
 * `folders` as needed), so a message is always served with a folder id in `parentFolderId`:
 * - the id of a folder of `folders` stays;
 * - a well-known name ("inbox", "Archive") becomes that folder's id;
 * - a path of display names ("inbox/Customers/Key accounts", or "Projects/2026" for folders the user
 *   made at the top level) adds the folders it names and becomes the last one's id;
 * - any other name is the display name of a top-level folder of the user's own ("Projects");
 * - `msgfolderroot` (or the root's id) is the root itself;
 * - a missing folder is implied (drafts, sent items when the owner sent it, otherwise the inbox).
 */
export function resolveParentFolder(
  message: GraphMessage,
  folders: MailFolder[],
  ownerAddresses: ReadonlySet<string>,
  userId: string,
): string {
  const named = message.parentFolderId?.trim();
  if (named !== undefined && named !== '') {
    if (folders.some((f) => f.id === named)) return named;
    const root = rootFolderId(userId);
    if (named === root || named.toLowerCase() === ROOT_FOLDER_NAME) return root;
    if (isWellKnownFolderName(named)) {
      return wellKnownFolder(userId, folders, named.toLowerCase() as WellKnownFolderName);
    }
    return findFolderPath(userId, folders, named) ?? ensureFolderPath(userId, folders, named);
  }
  const fromAddress = message.from?.emailAddress.address.toLowerCase();
  const wellKnown = impliedFolderName(
    message.isDraft,
    fromAddress !== undefined && ownerAddresses.has(fromAddress),
  );
  return wellKnownFolder(userId, folders, wellKnown);
}

export function userAddresses(user: GraphUser): Set<string> {
  const set = new Set<string>([user.userPrincipalName.toLowerCase()]);
  if (user.mail) set.add(user.mail.toLowerCase());
  return set;
}

/** A tenant served from a validated fixture held in memory. */
export function fixtureTenantSource(fixture: TenantFixture): TenantSource {
  const folders = new Map<string, MailFolder[]>();
  const contents = new Map<string, MailboxContent>();
  for (const user of fixture.users) {
    const mailbox = fixture.mailboxes[user.id];
    const userFolders = [...(mailbox?.mailFolders ?? defaultMailFolders(user.id))];
    folders.set(user.id, userFolders);
    if (!mailbox) continue;
    const owner = userAddresses(user);
    const messages = mailbox.messages
      .map((m) => messageRecord(m, resolveParentFolder(m, userFolders, owner, user.id)))
      .sort(compareMessages);
    const events = mailbox.events.map(eventRecord).sort(compareEvents);
    contents.set(user.id, { messages, events });
  }
  return {
    tenant: fixture.tenant,
    users: fixture.users,
    groups: fixture.groups,
    mailbox: (userId) => contents.get(userId) ?? EMPTY_MAILBOX,
    mailFolders: (userId) => folders.get(userId) ?? defaultMailFolders(userId),
  };
}

/** A tenant served from a fixture JSON file (validated; errors name the file and the bad field). */
export async function fixtureFileTenantSource(path: string): Promise<TenantSource> {
  return fixtureTenantSource(await loadTenantFixture(path));
}
