/**
 * Mail folders: a tree under the mailbox's root ("Top of Information Store", `msgfolderroot`), as in
 * Exchange. Every mailbox has the well-known folders below; Sync Issues has its own well-known
 * children. A fixture or the generator adds folders of its own by path ("inbox/Customers/Key
 * accounts"). Folder ids are derived from the user id and the folder's path, so a fixture or the
 * generator can name a message's folder without a folder table; messages are always served with the
 * folder's **id** in `parentFolderId`, never a well-known name (resources/mailfolder.md).
 */
import type { MailFolder } from './fixture-schema';
import { base64Digest, streamKey } from './random';

/** Top-level well-known folders and their display names (resources/mailfolder.md). */
export const WELL_KNOWN_FOLDERS = {
  inbox: 'Inbox',
  sentitems: 'Sent Items',
  drafts: 'Drafts',
  deleteditems: 'Deleted Items',
  archive: 'Archive',
  junkemail: 'Junk Email',
  outbox: 'Outbox',
  conversationhistory: 'Conversation History',
  syncissues: 'Sync Issues',
} as const;

/** Well-known folders that live under Sync Issues. */
export const SYNC_ISSUES_CHILDREN = {
  conflicts: 'Conflicts',
  localfailures: 'Local Failures',
  serverfailures: 'Server Failures',
} as const;

export const ROOT_FOLDER_NAME = 'msgfolderroot';

export type WellKnownFolderName = keyof typeof WELL_KNOWN_FOLDERS | keyof typeof SYNC_ISSUES_CHILDREN;

export function isWellKnownFolderName(name: string): name is WellKnownFolderName {
  const lower = name.toLowerCase();
  return Object.hasOwn(WELL_KNOWN_FOLDERS, lower) || Object.hasOwn(SYNC_ISSUES_CHILDREN, lower);
}

function folderId(userId: string, key: string): string {
  return `AAMkAD${base64Digest(streamKey(['folder', userId, key]), 30)}AAA=`;
}

/** The id of the mailbox's root folder (`msgfolderroot`), the parent of every top-level folder. */
export function rootFolderId(userId: string): string {
  return folderId(userId, ROOT_FOLDER_NAME);
}

/** The id of a well-known folder of a mailbox, in Exchange's id style. */
export function wellKnownFolderId(userId: string, name: WellKnownFolderName): string {
  return folderId(userId, name);
}

/** The id of a folder given by its path of display names below a well-known folder. */
export function pathFolderId(userId: string, path: readonly string[]): string {
  return folderId(userId, `path:${path.map((p) => p.toLowerCase()).join('/')}`);
}

/** The well-known folders every mailbox has. */
export function defaultMailFolders(userId: string): MailFolder[] {
  const root = rootFolderId(userId);
  const syncIssues = wellKnownFolderId(userId, 'syncissues');
  return [
    ...(Object.keys(WELL_KNOWN_FOLDERS) as (keyof typeof WELL_KNOWN_FOLDERS)[]).map((name) => ({
      id: wellKnownFolderId(userId, name),
      displayName: WELL_KNOWN_FOLDERS[name],
      wellKnownName: name,
      parentFolderId: root,
    })),
    ...(Object.keys(SYNC_ISSUES_CHILDREN) as (keyof typeof SYNC_ISSUES_CHILDREN)[]).map((name) => ({
      id: wellKnownFolderId(userId, name),
      displayName: SYNC_ISSUES_CHILDREN[name],
      wellKnownName: name,
      parentFolderId: syncIssues,
    })),
  ];
}

/**
 * Adds (once) the folders a path names to `folders` and returns the id of the last one. The path's
 * first segment is a well-known name ("inbox/Customers/Key accounts"), the root for folders the user
 * made at the top level ("msgfolderroot/Projects/2026"), or, when it is neither, the display name of
 * such a top-level folder ("Projects/2026").
 */
export function ensureFolderPath(userId: string, folders: MailFolder[], path: string): string {
  const segments = path
    .split('/')
    .map((s) => s.trim())
    .filter(Boolean);
  const [first, ...rest] = segments;
  if (first === undefined) throw new Error(`empty folder path '${path}'`);
  let parentId: string;
  let trail: string[];
  if (first.toLowerCase() === ROOT_FOLDER_NAME) {
    const [top, ...below] = rest;
    if (top === undefined) return rootFolderId(userId);
    return ensureFolderPath(userId, folders, [top, ...below].join('/'));
  }
  if (isWellKnownFolderName(first)) {
    const name = first.toLowerCase();
    // A fixture may give a well-known folder an id of its own.
    parentId =
      folders.find((f) => f.wellKnownName?.toLowerCase() === name)?.id ??
      wellKnownFolderId(userId, name as WellKnownFolderName);
    trail = [first.toLowerCase()];
  } else {
    trail = [first];
    parentId = pathFolderId(userId, trail);
    if (!folders.some((f) => f.id === parentId)) {
      folders.push({ id: parentId, displayName: first, parentFolderId: rootFolderId(userId) });
    }
  }
  for (const name of rest) {
    trail = [...trail, name];
    const id = pathFolderId(userId, trail);
    if (!folders.some((f) => f.id === id)) folders.push({ id, displayName: name, parentFolderId: parentId });
    parentId = id;
  }
  return parentId;
}

/** The folder a fixture message belongs to when it names none. */
export function impliedFolderName(isDraft: boolean, sentByOwner: boolean): WellKnownFolderName {
  if (isDraft) return 'drafts';
  return sentByOwner ? 'sentitems' : 'inbox';
}
