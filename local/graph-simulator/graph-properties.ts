/**
 * Property names of the Graph v1.0 resources the simulator serves, which of them a `$select` may
 * name, and which it must not: body, bodyPreview and uniqueBody are content, and this simulator
 * answers a request for them (or a message/event request without `$select`) with 403.
 */
import { canonicalNames } from './odata-query';

export const CONTENT_PROPERTIES = new Set(['body', 'bodypreview', 'uniquebody']);

export const USER_PROPERTIES = [
  'id',
  'displayName',
  'givenName',
  'surname',
  'mail',
  'userPrincipalName',
  'jobTitle',
  'department',
  'officeLocation',
  'businessPhones',
  'mobilePhone',
  'preferredLanguage',
  'accountEnabled',
  'userType',
  'companyName',
  'createdDateTime',
  'employeeId',
  'otherMails',
  'proxyAddresses',
  'usageLocation',
  'mailNickname',
  'city',
  'country',
  'state',
  'streetAddress',
  'postalCode',
  'onPremisesSamAccountName',
];

export const USER_DEFAULT_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];

export const GROUP_PROPERTIES = [
  'id',
  'displayName',
  'mail',
  'description',
  'mailEnabled',
  'securityEnabled',
  'groupTypes',
  'mailNickname',
  'createdDateTime',
  'visibility',
  'classification',
  'proxyAddresses',
  'membershipRule',
];

export const MESSAGE_PROPERTIES = [
  'id',
  'createdDateTime',
  'lastModifiedDateTime',
  'changeKey',
  'categories',
  'receivedDateTime',
  'sentDateTime',
  'hasAttachments',
  'internetMessageId',
  'subject',
  'bodyPreview',
  'importance',
  'parentFolderId',
  'conversationId',
  'conversationIndex',
  'isDeliveryReceiptRequested',
  'isReadReceiptRequested',
  'isRead',
  'isDraft',
  'webLink',
  'inferenceClassification',
  'body',
  'sender',
  'from',
  'toRecipients',
  'ccRecipients',
  'bccRecipients',
  'replyTo',
  'uniqueBody',
  'flag',
  'internetMessageHeaders',
];

export const EVENT_PROPERTIES = [
  'id',
  'createdDateTime',
  'lastModifiedDateTime',
  'changeKey',
  'categories',
  'transactionId',
  'originalStartTimeZone',
  'originalEndTimeZone',
  'iCalUId',
  'uid',
  'reminderMinutesBeforeStart',
  'isReminderOn',
  'hasAttachments',
  'subject',
  'bodyPreview',
  'importance',
  'sensitivity',
  'isAllDay',
  'isCancelled',
  'isOrganizer',
  'responseRequested',
  'seriesMasterId',
  'showAs',
  'type',
  'webLink',
  'onlineMeetingUrl',
  'isOnlineMeeting',
  'onlineMeetingProvider',
  'allowNewTimeProposals',
  'isDraft',
  'hideAttendees',
  'responseStatus',
  'body',
  'start',
  'end',
  'location',
  'locations',
  'recurrence',
  'attendees',
  'organizer',
  'onlineMeeting',
  'originalStart',
  'uniqueBody',
];

/** What a message has when a fixture leaves a selected property out. */
export const MESSAGE_DEFAULTS: Readonly<Record<string, unknown>> = {
  categories: [],
  hasAttachments: false,
  importance: 'normal',
  isRead: true,
  isDeliveryReceiptRequested: false,
  isReadReceiptRequested: false,
  inferenceClassification: 'focused',
  toRecipients: [],
  ccRecipients: [],
  bccRecipients: [],
  replyTo: [],
  flag: { flagStatus: 'notFlagged' },
};

export const EVENT_DEFAULTS: Readonly<Record<string, unknown>> = {
  categories: [],
  attendees: [],
  hasAttachments: false,
  importance: 'normal',
  sensitivity: 'normal',
  showAs: 'busy',
  isDraft: false,
  locations: [],
};

/** The properties an app with Calendars.ReadBasic.All gets from calendarView delta (no $select there). */
export const EVENT_BASIC_PROPERTIES = EVENT_PROPERTIES.filter(
  (p) => !CONTENT_PROPERTIES.has(p.toLowerCase()),
);

export const USER_NAMES = canonicalNames(USER_PROPERTIES);
export const GROUP_NAMES = canonicalNames(GROUP_PROPERTIES);
export const MESSAGE_NAMES = canonicalNames(MESSAGE_PROPERTIES);
export const EVENT_NAMES = canonicalNames(EVENT_PROPERTIES);
