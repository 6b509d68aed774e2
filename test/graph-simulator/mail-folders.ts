/**
 * Mail folders. Every mailbox has the well-known folders below. Their ids are derived from the user id
 * (`wellKnownFolderId`), so a fixture or the generator can name a message's `parentFolderId` without a
 * folder table. A fixture may also use the well-known name itself ("inbox") as `parentFolderId`; the
 * simulator then serves the derived id. Requests may address a folder by id or by well-known name.
 */
import type { MailFolder } from './fixture-schema';
import { base64Digest, streamKey } from './random';

export const WELL_KNOWN_FOLDERS = {
  inbox: 'Inbox',
  sentitems: 'Sent Items',
  drafts: 'Drafts',
  deleteditems: 'Deleted Items',
  archive: 'Archive',
} as const;

export type WellKnownFolderName = keyof typeof WELL_KNOWN_FOLDERS;

export function isWellKnownFolderName(name: string): name is WellKnownFolderName {
  return Object.hasOwn(WELL_KNOWN_FOLDERS, name.toLowerCase());
}

/** The id of a well-known folder of a mailbox, in Exchange's id style. */
export function wellKnownFolderId(userId: string, name: WellKnownFolderName): string {
  return `AAMkAD${base64Digest(streamKey(['folder', userId, name]), 30)}AAA=`;
}

export function defaultMailFolders(userId: string): MailFolder[] {
  return (Object.keys(WELL_KNOWN_FOLDERS) as WellKnownFolderName[]).map((name) => ({
    id: wellKnownFolderId(userId, name),
    displayName: WELL_KNOWN_FOLDERS[name],
    wellKnownName: name,
  }));
}

/** The folder a fixture message belongs to when it names none. */
export function impliedFolderName(isDraft: boolean, sentByOwner: boolean): WellKnownFolderName {
  if (isDraft) return 'drafts';
  return sentByOwner ? 'sentitems' : 'inbox';
}
