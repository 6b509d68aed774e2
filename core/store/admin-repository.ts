import type { Container } from '@azure/cosmos';
import { DAY_MS, MINUTE_MS } from '../time/durations';
import { isCosmosStatus } from './cosmos-errors';

/**
 * How long a verified admin sighting lets that person act as an admin in the bot. Teams gives the
 * bot no app roles, so the bot knows a tenant's admins only from the tab: a Teams SSO token that
 * carried the admin role. A role removed in Entra ID stops working in the tab with the next token
 * (about an hour) and in the bot when the sighting is this old.
 */
export const ADMIN_SIGHTING_MS = DAY_MS;
/** A sighting is written at most this often per admin, whatever the number of tab requests. */
const REWRITE_AFTER_MS = 15 * MINUTE_MS;

interface AdminSighting {
  id: string;
  tenantId: string;
  type: 'admin-sighting';
  /** Entra object id, lower-case. */
  userId: string;
  email: string;
  /** Epoch milliseconds of the last tab request with the admin role in a verified token. */
  seenAt: number;
}

const sightingId = (userId: string) => `admin-sighting:${userId.toLowerCase()}`;

/** The tenant's admins as the tab last saw them, in the `configurations` container. */
export class AdminRepository {
  /** Per process: when each admin's sighting was last written (tenant + user). */
  private static readonly written = new Map<string, number>();

  constructor(
    private readonly container: Container,
    readonly tenantId: string,
  ) {}

  /** Records that a verified token of this tenant carried the admin role (throttled per admin). */
  async sighted(userId: string, email: string, now: number): Promise<void> {
    const key = `${this.tenantId}\n${userId.toLowerCase()}`;
    const last = AdminRepository.written.get(key);
    if (last !== undefined && now - last < REWRITE_AFTER_MS) return;
    const sighting: AdminSighting = {
      id: sightingId(userId),
      tenantId: this.tenantId,
      type: 'admin-sighting',
      userId: userId.toLowerCase(),
      email: email.toLowerCase(),
      seenAt: now,
    };
    await this.container.items.upsert(sighting);
    AdminRepository.written.set(key, now);
  }

  /** Whether this Entra object id was seen as an admin of the tenant within ADMIN_SIGHTING_MS. */
  async isAdmin(userId: string, now: number): Promise<boolean> {
    try {
      const { resource } = await this.container.item(sightingId(userId), this.tenantId).read<AdminSighting>();
      return resource !== undefined && now - resource.seenAt < ADMIN_SIGHTING_MS;
    } catch (error) {
      if (isCosmosStatus(error, 404)) return false;
      throw error;
    }
  }
}
