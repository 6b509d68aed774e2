import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { AccountCatalog } from '../core/conversation/account-catalog';
import type { Asker } from '../core/conversation/answers';
import type { UserEntityRow } from '../core/engine';
import type { Containers } from '../core/store/containers';
import { ConversationRepository } from '../core/store/conversation-repository';

/** Emails remembered per process (tenant and user → email). */
const MAX_REMEMBERED = 10_000;

/** The tenant of an activity: Teams puts it on the conversation and in the channel data. */
export function tenantOf(context: TurnContext): string | undefined {
  const activity = context.activity;
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const id = activity.conversation?.tenantId ?? channelData?.tenant?.id;
  return typeof id === 'string' && id ? id : undefined;
}

/** The user's stable id: the Entra object id Teams gives, else the channel's user id. */
export function userIdOf(context: TurnContext): string {
  return (context.activity.from.aadObjectId ?? context.activity.from.id).toLowerCase();
}

/**
 * Who is asking. Teams messages carry the user's Entra object id but not their email, which
 * "mine" needs (account owners are emails). It is found, in order, in the user's stored personal
 * conversation, among the tracked users of the shown results (by object id), or from Teams' member
 * lookup (TeamsInfo.getMember), and remembered.
 */
export class AskerResolver {
  private readonly emails = new Map<string, string>();

  constructor(
    private readonly containers: Containers,
    private readonly catalog: AccountCatalog,
  ) {}

  asker(context: TurnContext, tenantId: string): Asker {
    const userId = userIdOf(context);
    let email: Promise<string | undefined> | undefined;
    return {
      tenantId,
      userId,
      name: context.activity.from.name ?? '',
      email: () => (email ??= this.email(context, tenantId, userId)),
    };
  }

  /** Looks the user's email up in Teams (undefined when the channel cannot say). */
  async memberEmail(context: TurnContext): Promise<string | undefined> {
    try {
      const member = await TeamsInfo.getMember(context, context.activity.from.id);
      const email = member.email ?? member.userPrincipalName;
      return email ? email.toLowerCase() : undefined;
    } catch {
      return undefined;
    }
  }

  private async email(context: TurnContext, tenantId: string, userId: string): Promise<string | undefined> {
    const key = `${tenantId}\n${userId}`;
    const remembered = this.emails.get(key);
    if (remembered) return remembered;
    const found =
      (await new ConversationRepository(this.containers.conversations, tenantId).personal(userId))?.email ??
      (await this.trackedEmail(tenantId, userId)) ??
      (await this.memberEmail(context));
    // Only a found email is remembered: a later run may make an unknown user a tracked one.
    if (this.emails.size >= MAX_REMEMBERED) this.emails.clear();
    if (found) this.emails.set(key, found);
    return found;
  }

  private async trackedEmail(tenantId: string, userId: string): Promise<string | undefined> {
    const shown = await this.catalog.shown(tenantId);
    if (!shown) return undefined;
    const row = await shown.results.readRow<UserEntityRow>(shown.config.userEntityName, [userId]);
    return row?.Email ? row.Email.toLowerCase() : undefined;
  }
}
