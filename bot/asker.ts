import type { AccountCatalog } from '../core/conversation/account-catalog';
import type { Asker } from '../core/conversation/answers';
import type { UserEntityRow } from '../core/engine';
import type { Containers } from '../core/store/containers';
import { ConversationRepository } from '../core/store/conversation-repository';
import type { BotTurn } from './channel';

/** Emails remembered per process (tenant and user → email). */
const MAX_REMEMBERED = 10_000;

/** The user's stable id: the Entra object id Teams gives, else the channel's user id. */
export function userIdOf(turn: BotTurn): string {
  return (turn.user.aadObjectId ?? turn.user.id).toLowerCase();
}

/**
 * Who is asking. Teams messages carry the user's Entra object id but not their email, which
 * "mine" needs (account owners are emails). It is found, in order, in the user's stored personal
 * conversation, among the tracked users of the shown results (by object id), or from Teams' member
 * lookup, and remembered.
 */
export class AskerResolver {
  private readonly emails = new Map<string, string>();

  constructor(
    private readonly containers: Containers,
    private readonly catalog: AccountCatalog,
  ) {}

  asker(turn: BotTurn, tenantId: string): Asker {
    const userId = userIdOf(turn);
    let email: Promise<string | undefined> | undefined;
    return {
      tenantId,
      userId,
      name: turn.user.name,
      email: () => (email ??= this.email(turn, tenantId, userId)),
    };
  }

  private async email(turn: BotTurn, tenantId: string, userId: string): Promise<string | undefined> {
    const key = `${tenantId}\n${userId}`;
    const remembered = this.emails.get(key);
    if (remembered) return remembered;
    const found =
      (await new ConversationRepository(this.containers.conversations, tenantId).personal(userId))?.email ??
      (await this.trackedEmail(tenantId, userId)) ??
      (await turn.memberEmail());
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
