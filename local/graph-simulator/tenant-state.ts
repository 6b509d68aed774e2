/**
 * The simulator's live view of a tenant: directory indexes, and per mailbox the changes tests made
 * on top of the source (added, updated, deleted messages and events, folders made for them), each
 * message and event change stamped with a version from one counter so delta queries can tell what
 * changed since a token was issued.
 */
import { randomBytes } from 'node:crypto';
import {
  eventSchema,
  messageSchema,
  type FixtureGroup,
  type GraphEvent,
  type GraphEventInput,
  type GraphMessage,
  type GraphMessageInput,
  type GraphUser,
  type MailFolder,
} from './fixture-schema';
import { isWellKnownFolderName, ROOT_FOLDER_NAME, rootFolderId } from './mail-folders';
import {
  compareEvents,
  compareMessages,
  eventRecord,
  messageRecord,
  resolveParentFolder,
  userAddresses,
  type EventRecord,
  type MessageRecord,
  type TenantSource,
} from './tenant-source';

export interface MessageChange {
  readonly id: string;
  /** The message as it is now, or null once deleted. */
  readonly record: MessageRecord | null;
  readonly version: number;
  /** Added after the source was loaded (rather than a change to a source message). */
  readonly created: boolean;
  /** Every folder the message has been in, for `@removed` entries of folder delta queries. */
  readonly folders: ReadonlySet<string>;
}

export interface EventChange {
  readonly id: string;
  readonly record: EventRecord | null;
  readonly version: number;
  readonly created: boolean;
  /** Where it was before the change, for `@removed` entries of calendar delta queries. */
  readonly previous: EventRecord | null;
}

class MailboxOverlay {
  readonly messages = new Map<string, MessageChange>();
  readonly events = new Map<string, EventChange>();
}

export type DirectoryObject = { kind: 'user'; user: GraphUser } | { kind: 'group'; group: FixtureGroup };

export function newItemId(): string {
  return `AAMkAD${randomBytes(32).toString('base64url')}AAA=`;
}

export class TenantState {
  /** Incremented by every change; versions of source items are 0. */
  version = 0;
  private readonly usersById = new Map<string, GraphUser>();
  private readonly usersByAddress = new Map<string, GraphUser>();
  private readonly groupsById = new Map<string, FixtureGroup>();
  private readonly overlays = new Map<string, MailboxOverlay>();
  /** Per mailbox, once used: its folders, growing as messages are filed in new folders. */
  private readonly folders = new Map<string, MailFolder[]>();

  constructor(readonly source: TenantSource) {
    for (const user of source.users) {
      this.usersById.set(user.id.toLowerCase(), user);
      for (const address of userAddresses(user)) this.usersByAddress.set(address, user);
    }
    for (const group of source.groups) this.groupsById.set(group.id.toLowerCase(), group);
  }

  get users(): readonly GraphUser[] {
    return this.source.users;
  }

  get groups(): readonly FixtureGroup[] {
    return this.source.groups;
  }

  /** A user by object id, userPrincipalName or mail (case-insensitive). */
  resolveUser(key: string): GraphUser | undefined {
    const lower = key.toLowerCase();
    return this.usersById.get(lower) ?? this.usersByAddress.get(lower);
  }

  group(id: string): FixtureGroup | undefined {
    return this.groupsById.get(id.toLowerCase());
  }

  directoryObject(id: string): DirectoryObject | undefined {
    const user = this.usersById.get(id.toLowerCase());
    if (user) return { kind: 'user', user };
    const group = this.group(id);
    return group ? { kind: 'group', group } : undefined;
  }

  /** Direct members, in the fixture's order. */
  members(group: FixtureGroup): DirectoryObject[] {
    return group.members.flatMap((id) => {
      const object = this.directoryObject(id);
      return object ? [object] : [];
    });
  }

  /** Members of the group and of its nested groups, each once; membership cycles are harmless. */
  transitiveMembers(group: FixtureGroup): DirectoryObject[] {
    const out: DirectoryObject[] = [];
    const seen = new Set<string>([group.id.toLowerCase()]);
    const queue: FixtureGroup[] = [group];
    for (let current = queue.shift(); current; current = queue.shift()) {
      for (const member of this.members(current)) {
        const id = (member.kind === 'user' ? member.user.id : member.group.id).toLowerCase();
        if (seen.has(id)) continue;
        seen.add(id);
        out.push(member);
        if (member.kind === 'group') queue.push(member.group);
      }
    }
    return out;
  }

  /**
   * The mailbox's folders as they are now: the source's, plus those added since (a message added
   * with a folder path creates the folders it names). Not the root (see `rootFolder`).
   */
  mailFolders(userId: string): readonly MailFolder[] {
    return this.folderList(userId);
  }

  /** The live, growable folder list of a mailbox (a copy of the source's, made on first use). */
  private folderList(userId: string): MailFolder[] {
    let folders = this.folders.get(userId);
    if (folders === undefined) {
      folders = [...this.source.mailFolders(userId)];
      this.folders.set(userId, folders);
    }
    return folders;
  }

  /** The mailbox's root, "Top of Information Store" (`msgfolderroot`): the parent of the top level. */
  rootFolder(userId: string): MailFolder {
    return {
      id: rootFolderId(userId),
      displayName: 'Top of Information Store',
      wellKnownName: ROOT_FOLDER_NAME,
    };
  }

  /** The id of a folder's parent: the root's id for a top-level folder. */
  parentFolderId(userId: string, folder: MailFolder): string {
    return folder.parentFolderId ?? rootFolderId(userId);
  }

  /** The folders directly below a folder (hidden ones included), in the order they were made. */
  childFolders(userId: string, parentId: string): MailFolder[] {
    const root = rootFolderId(userId);
    return this.folderList(userId).filter((f) => (f.parentFolderId ?? root) === parentId);
  }

  /** A folder by id or well-known name (case-insensitive), `msgfolderroot` included. */
  resolveFolder(userId: string, key: string): MailFolder | undefined {
    const root = this.rootFolder(userId);
    if (key === root.id || key.toLowerCase() === ROOT_FOLDER_NAME) return root;
    const folders = this.folderList(userId);
    const byId = folders.find((f) => f.id === key);
    if (byId) return byId;
    if (!isWellKnownFolderName(key)) return undefined;
    const lower = key.toLowerCase();
    return folders.find((f) => f.wellKnownName?.toLowerCase() === lower);
  }

  private overlay(userId: string): MailboxOverlay {
    let overlay = this.overlays.get(userId);
    if (!overlay) {
      overlay = new MailboxOverlay();
      this.overlays.set(userId, overlay);
    }
    return overlay;
  }

  /** The mailbox's messages as they are now, ascending by sentDateTime. */
  messages(userId: string): readonly MessageRecord[] {
    const base = this.source.mailbox(userId).messages;
    const overlay = this.overlays.get(userId);
    if (!overlay || overlay.messages.size === 0) return base;
    const out = base.filter((r) => !overlay.messages.has(r.id));
    for (const change of overlay.messages.values()) if (change.record) out.push(change.record);
    return out.sort(compareMessages);
  }

  events(userId: string): readonly EventRecord[] {
    const base = this.source.mailbox(userId).events;
    const overlay = this.overlays.get(userId);
    if (!overlay || overlay.events.size === 0) return base;
    const out = base.filter((r) => !overlay.events.has(r.id));
    for (const change of overlay.events.values()) if (change.record) out.push(change.record);
    return out.sort(compareEvents);
  }

  messageVersion(userId: string, id: string): number {
    return this.overlays.get(userId)?.messages.get(id)?.version ?? 0;
  }

  eventVersion(userId: string, id: string): number {
    return this.overlays.get(userId)?.events.get(id)?.version ?? 0;
  }

  messageChanges(userId: string): Iterable<MessageChange> {
    return this.overlays.get(userId)?.messages.values() ?? [];
  }

  eventChanges(userId: string): Iterable<EventChange> {
    return this.overlays.get(userId)?.events.values() ?? [];
  }

  findMessage(userId: string, id: string): MessageRecord | undefined {
    const change = this.overlays.get(userId)?.messages.get(id);
    if (change) return change.record ?? undefined;
    return this.source.mailbox(userId).messages.find((r) => r.id === id);
  }

  findEvent(userId: string, id: string): EventRecord | undefined {
    const change = this.overlays.get(userId)?.events.get(id);
    if (change) return change.record ?? undefined;
    return this.source.mailbox(userId).events.find((r) => r.id === id);
  }

  private requireUser(userKey: string): GraphUser {
    const user = this.resolveUser(userKey);
    if (!user) throw new Error(`no user "${userKey}" in the simulated tenant`);
    return user;
  }

  private storeMessage(
    user: GraphUser,
    message: GraphMessage,
    created: boolean,
    previous?: MessageRecord,
  ): GraphMessage {
    // The live list: a folder path names folders that are added to the mailbox for good.
    const folder = resolveParentFolder(message, this.folderList(user.id), userAddresses(user), user.id);
    const record = messageRecord(message, folder);
    const overlay = this.overlay(user.id);
    const folders = new Set(overlay.messages.get(message.id)?.folders ?? []);
    if (previous) folders.add(previous.parentFolderId);
    folders.add(folder);
    overlay.messages.set(message.id, { id: message.id, record, version: ++this.version, created, folders });
    return record.toGraph();
  }

  /** Adds a message to a mailbox (defaults as for fixtures; an id is made up when missing). */
  addMessage(userKey: string, input: Omit<GraphMessageInput, 'id'> & { id?: string }): GraphMessage {
    const user = this.requireUser(userKey);
    const message = messageSchema.parse({ ...input, id: input.id ?? newItemId() });
    if (this.findMessage(user.id, message.id)) throw new Error(`message ${message.id} already exists`);
    return this.storeMessage(user, message, true);
  }

  /** Changes properties of a message (moving it when parentFolderId changes). */
  updateMessage(userKey: string, id: string, patch: Partial<GraphMessageInput>): GraphMessage {
    const user = this.requireUser(userKey);
    const current = this.findMessage(user.id, id);
    if (!current) throw new Error(`no message ${id} in mailbox ${userKey}`);
    const message = messageSchema.parse({ ...current.toGraph(), ...patch, id });
    const created = this.overlays.get(user.id)?.messages.get(id)?.created ?? false;
    return this.storeMessage(user, message, created, current);
  }

  deleteMessage(userKey: string, id: string): void {
    const user = this.requireUser(userKey);
    const current = this.findMessage(user.id, id);
    if (!current) throw new Error(`no message ${id} in mailbox ${userKey}`);
    const overlay = this.overlay(user.id);
    const previous = overlay.messages.get(id);
    const folders = new Set(previous?.folders ?? []);
    folders.add(current.parentFolderId);
    overlay.messages.set(id, {
      id,
      record: null,
      version: ++this.version,
      created: previous?.created ?? false,
      folders,
    });
  }

  addEvent(userKey: string, input: Omit<GraphEventInput, 'id'> & { id?: string }): GraphEvent {
    const user = this.requireUser(userKey);
    const event = eventSchema.parse({ ...input, id: input.id ?? newItemId() });
    if (this.findEvent(user.id, event.id)) throw new Error(`event ${event.id} already exists`);
    const record = eventRecord(event);
    this.overlay(user.id).events.set(event.id, {
      id: event.id,
      record,
      version: ++this.version,
      created: true,
      previous: null,
    });
    return event;
  }

  updateEvent(userKey: string, id: string, patch: Partial<GraphEventInput>): GraphEvent {
    const user = this.requireUser(userKey);
    const current = this.findEvent(user.id, id);
    if (!current) throw new Error(`no event ${id} in calendar ${userKey}`);
    const event = eventSchema.parse({ ...current.toGraph(), ...patch, id });
    const overlay = this.overlay(user.id);
    overlay.events.set(id, {
      id,
      record: eventRecord(event),
      version: ++this.version,
      created: overlay.events.get(id)?.created ?? false,
      previous: current,
    });
    return event;
  }

  deleteEvent(userKey: string, id: string): void {
    const user = this.requireUser(userKey);
    const current = this.findEvent(user.id, id);
    if (!current) throw new Error(`no event ${id} in calendar ${userKey}`);
    const overlay = this.overlay(user.id);
    overlay.events.set(id, {
      id,
      record: null,
      version: ++this.version,
      created: overlay.events.get(id)?.created ?? false,
      previous: current,
    });
  }
}
