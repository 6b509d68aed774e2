import type { Container } from '@azure/cosmos';
import { isCosmosStatus } from './cosmos-errors';

/**
 * Where the bot can write to later: a conversation reference as the channel gave it (serialised
 * as is; only the bot reads its fields).
 */
export type StoredReference = Record<string, unknown>;

/** A user's personal chat with the bot, found by the user's Entra object id or email. */
export interface PersonalConversation {
  /** Entra object id (lower-case). */
  userId: string;
  /** Lower-case; null until the channel or the tracked users tell it. */
  email: string | null;
  name: string;
  reference: StoredReference;
  installedAt: string;
  updatedAt: string;
}

/** A team channel or group chat the bot was added to. */
export interface SharedConversation {
  conversationId: string;
  scope: 'channel' | 'groupChat';
  name: string | null;
  teamId: string | null;
  reference: StoredReference;
  installedAt: string;
  updatedAt: string;
}

type Document<T> = T & {
  id: string;
  tenantId: string;
  type: 'personal-conversation' | 'shared-conversation';
};

const encode = (value: string) => encodeURIComponent(value).replace(/\\/g, '%5C');
const personalId = (userId: string) => `personal:${encode(userId.toLowerCase())}`;
const sharedId = (conversationId: string) => `shared:${encode(conversationId)}`;

/** The stored fields without Cosmos DB's own (`id`, `tenantId`, `type`, `_etag`, …). */
function strip<T>(document: Document<T>): T {
  return Object.fromEntries(
    Object.entries(document).filter(
      ([key]) => !['id', 'tenantId', 'type'].includes(key) && !key.startsWith('_'),
    ),
  ) as T;
}

/**
 * The bot's conversation references of one tenant: one personal conversation per user (saved when
 * the user installs the app or writes to it, removed when they uninstall) and the team channels
 * and group chats it was added to.
 */
export class ConversationRepository {
  constructor(
    private readonly container: Container,
    readonly tenantId: string,
  ) {}

  /** Saves a user's personal conversation; the first install time and a known email are kept. */
  async savePersonal(conversation: Omit<PersonalConversation, 'installedAt' | 'updatedAt'>, now: number) {
    const userId = conversation.userId.toLowerCase();
    const existing = await this.personal(userId);
    const at = new Date(now).toISOString();
    const document: Document<PersonalConversation> = {
      ...conversation,
      userId,
      email: conversation.email?.toLowerCase() ?? existing?.email ?? null,
      installedAt: existing?.installedAt ?? at,
      updatedAt: at,
      id: personalId(userId),
      tenantId: this.tenantId,
      type: 'personal-conversation',
    };
    await this.container.items.upsert(document);
    return strip(document);
  }

  async personal(userId: string): Promise<PersonalConversation | undefined> {
    const { resource } = await this.container
      .item(personalId(userId), this.tenantId)
      .read<Document<PersonalConversation>>();
    return resource ? strip(resource) : undefined;
  }

  /** The personal conversation of the user with this email (the most recently updated, if several). */
  async personalByEmail(email: string): Promise<PersonalConversation | undefined> {
    const { resources } = await this.container.items
      .query<Document<PersonalConversation>>(
        {
          query:
            "SELECT TOP 1 * FROM c WHERE c.tenantId = @tenant AND c.type = 'personal-conversation' AND c.email = @email ORDER BY c.updatedAt DESC",
          parameters: [
            { name: '@tenant', value: this.tenantId },
            { name: '@email', value: email.trim().toLowerCase() },
          ],
        },
        { partitionKey: this.tenantId },
      )
      .fetchAll();
    return resources[0] ? strip(resources[0]) : undefined;
  }

  async removePersonal(userId: string): Promise<boolean> {
    return this.remove(personalId(userId));
  }

  async saveShared(conversation: Omit<SharedConversation, 'installedAt' | 'updatedAt'>, now: number) {
    const { resource: existing } = await this.container
      .item(sharedId(conversation.conversationId), this.tenantId)
      .read<Document<SharedConversation>>();
    const at = new Date(now).toISOString();
    const document: Document<SharedConversation> = {
      ...conversation,
      installedAt: existing?.installedAt ?? at,
      updatedAt: at,
      id: sharedId(conversation.conversationId),
      tenantId: this.tenantId,
      type: 'shared-conversation',
    };
    await this.container.items.upsert(document);
    return strip(document);
  }

  async shared(conversationId: string): Promise<SharedConversation | undefined> {
    const { resource } = await this.container
      .item(sharedId(conversationId), this.tenantId)
      .read<Document<SharedConversation>>();
    return resource ? strip(resource) : undefined;
  }

  /** Removes a channel or group chat, or every channel of a team when given the team's id. */
  async removeShared(conversationId: string, teamId?: string): Promise<number> {
    if (!teamId) return (await this.remove(sharedId(conversationId))) ? 1 : 0;
    const { resources } = await this.container.items
      .query<string>(
        {
          query:
            "SELECT VALUE c.id FROM c WHERE c.tenantId = @tenant AND c.type = 'shared-conversation' AND (c.teamId = @team OR c.conversationId = @conversation)",
          parameters: [
            { name: '@tenant', value: this.tenantId },
            { name: '@team', value: teamId },
            { name: '@conversation', value: conversationId },
          ],
        },
        { partitionKey: this.tenantId },
      )
      .fetchAll();
    let removed = 0;
    for (const id of resources) if (await this.remove(id)) removed += 1;
    return removed;
  }

  private async remove(id: string): Promise<boolean> {
    try {
      await this.container.item(id, this.tenantId).delete();
      return true;
    } catch (error) {
      if (isCosmosStatus(error, 404)) return false;
      throw error;
    }
  }
}
