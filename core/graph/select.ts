/**
 * The Graph `$select` allow-lists: the only properties this product ever asks Microsoft Graph for.
 *
 * Messages and events are read as metadata only; subject, body, bodyPreview, attachments and the
 * like are never requested. Every Graph request that returns users, groups, folders, messages or events
 * takes its `$select` from here, and nothing else in the product names Graph properties.
 */

export const MESSAGE_FIELDS = [
  'id',
  'internetMessageId',
  'conversationId',
  'isDraft',
  'sentDateTime',
  'receivedDateTime',
  'from',
  'toRecipients',
  'ccRecipients',
  'bccRecipients',
  'parentFolderId',
] as const;

export const EVENT_FIELDS = [
  'id',
  'iCalUId',
  'type',
  'seriesMasterId',
  'isCancelled',
  'isAllDay',
  'sensitivity',
  'start',
  'end',
  'organizer',
  'attendees',
] as const;

/** Mail folders: only what walking the folder tree needs. */
export const FOLDER_FIELDS = ['id', 'displayName', 'childFolderCount'] as const;

export const USER_FIELDS = ['id', 'mail', 'userPrincipalName', 'displayName'] as const;

export const GROUP_FIELDS = ['id', 'mail', 'displayName'] as const;

export type MessageField = (typeof MESSAGE_FIELDS)[number];
export type EventField = (typeof EVENT_FIELDS)[number];
export type UserField = (typeof USER_FIELDS)[number];
export type GroupField = (typeof GROUP_FIELDS)[number];

/** The `$select=…` query parameter for one allow-list. */
export function selectParam(fields: readonly string[]): string {
  return `$select=${fields.join(',')}`;
}
