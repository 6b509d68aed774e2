import { z } from 'zod';

/**
 * The fields of an incoming Bot Framework activity the bot relies on, checked before botbuilder
 * sees the activity. A bad activity is answered 400 with a short reason naming the field, never
 * with the value or an internal error's text.
 */

/** Hosts a local-mode connector may use over plain http (the Agents Playground, the fake connector). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const MAX_ID = 512;
const MAX_CONVERSATION_ID = 1024;
const MAX_NAME = 512;
/** Messages over 500 characters are answered "too long"; far longer ones are not a Teams message. */
const MAX_TEXT = 40_000;
const MAX_MEMBERS = 1000;

const stringOf = (max: number) => z.string().min(1).max(max);
const optionalString = (max: number) => z.string().max(max).optional();

const account = z.looseObject({
  id: stringOf(MAX_ID),
  aadObjectId: optionalString(128),
  name: optionalString(MAX_NAME),
});

const member = z.looseObject({ id: stringOf(MAX_ID) });

/** Whether `value` is a connector URL the bot may reply to. */
export function serviceUrlAllowed(value: string, mode: 'local' | 'production'): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === 'https:') return true;
  return mode === 'local' && url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname.toLowerCase());
}

function activitySchema(mode: 'local' | 'production') {
  return z
    .looseObject({
      type: stringOf(64),
      id: optionalString(MAX_ID),
      name: optionalString(256),
      channelId: stringOf(64),
      serviceUrl: z
        .string()
        .max(2048)
        .refine((value) => serviceUrlAllowed(value, mode), {
          message:
            mode === 'production'
              ? 'serviceUrl must be an https: URL'
              : 'serviceUrl must be an https: URL or a loopback http: URL',
        }),
      from: account,
      recipient: account,
      conversation: z.looseObject({
        id: stringOf(MAX_CONVERSATION_ID),
        tenantId: optionalString(128),
        conversationType: optionalString(64),
      }),
      channelData: z
        .looseObject({
          tenant: z.looseObject({ id: optionalString(128) }).optional(),
        })
        .optional(),
      text: z.string().max(MAX_TEXT).optional(),
      replyToId: optionalString(MAX_CONVERSATION_ID),
      membersAdded: z.array(member).max(MAX_MEMBERS).optional(),
      membersRemoved: z.array(member).max(MAX_MEMBERS).optional(),
      entities: z.array(z.unknown()).max(100).optional(),
      attachments: z.array(z.unknown()).max(50).optional(),
    })
    .refine(
      (activity) => {
        const onConversation = activity.conversation.tenantId;
        const inChannelData = activity.channelData?.tenant?.id;
        return (
          !onConversation || !inChannelData || onConversation.toLowerCase() === inChannelData.toLowerCase()
        );
      },
      { message: 'conversation.tenantId and channelData.tenant.id name different tenants', path: [] },
    );
}

const schemas = { local: activitySchema('local'), production: activitySchema('production') };

export type ActivityCheck = { ok: true } | { ok: false; reason: string };

/** Checks a parsed request body; the reason names the first field at fault, never its value. */
export function checkActivity(body: unknown, mode: 'local' | 'production'): ActivityCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, reason: 'The body is not a Bot Framework activity (a JSON object).' };
  }
  const result = schemas[mode].safeParse(body);
  if (result.success) return { ok: true };
  const issue = result.error.issues[0];
  const field = issue?.path.map(String).join('.');
  if (issue?.code === 'custom') return { ok: false, reason: `Invalid activity: ${issue.message}.` };
  return {
    ok: false,
    reason: field
      ? `Invalid activity: ${field} is missing, not of the expected type, or too long.`
      : 'Invalid activity.',
  };
}

/** The JSON body of a refused bot request, as the API's errors read. */
export const botError = (code: string, message: string) => ({ error: { code, message } });
