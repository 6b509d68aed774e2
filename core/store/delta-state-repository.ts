import type { Container } from '@azure/cosmos';
import {
  deltaStateKeyString,
  type DeltaState,
  type DeltaStateKey,
  type DeltaStateStore,
} from '../graph/delta-state';

interface DeltaDocument extends DeltaState {
  id: string;
  tenantId: string;
  mailboxId: string;
  folder: string;
}

const documentId = (key: DeltaStateKey) => deltaStateKeyString(key).replace(/\//g, ':');

/** Graph delta links per tenant, mailbox and folder, in the `deltas` container. */
export class CosmosDeltaStateStore implements DeltaStateStore {
  constructor(private readonly container: Container) {}

  async get(key: DeltaStateKey): Promise<DeltaState | undefined> {
    const { resource } = await this.container.item(documentId(key), key.tenantId).read<DeltaDocument>();
    return resource
      ? { deltaLink: resource.deltaLink, windowStart: resource.windowStart, savedAt: resource.savedAt }
      : undefined;
  }

  async put(key: DeltaStateKey, state: DeltaState): Promise<void> {
    const document: DeltaDocument = { id: documentId(key), ...key, ...state };
    await this.container.items.upsert(document);
  }

  async delete(key: DeltaStateKey): Promise<void> {
    await this.container
      .item(documentId(key), key.tenantId)
      .delete()
      .catch((error: { code?: number }) => {
        if (error.code !== 404) throw error;
      });
  }
}
