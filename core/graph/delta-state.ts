/**
 * Where delta links live between runs: one per tenant, mailbox and mail folder. The Cosmos DB store
 * implements this interface for production; `InMemoryDeltaStateStore` serves tests and single runs.
 * A delta link is an opaque Graph URL; it carries no message content.
 */

export interface DeltaStateKey {
  tenantId: string;
  /** Entra object id of the mailbox owner. */
  mailboxId: string;
  /** Well-known folder name, e.g. "inbox" or "sentitems". */
  folder: string;
}

export interface DeltaState {
  /** The `@odata.deltaLink` that ended the last complete round. */
  deltaLink: string;
  /** Epoch ms of the earliest sent time the baseline asked for; a run whose window starts earlier needs a new baseline. */
  windowStart: number;
  /** Epoch ms when the round ended. */
  savedAt: number;
}

export interface DeltaStateStore {
  get(key: DeltaStateKey): Promise<DeltaState | undefined>;
  put(key: DeltaStateKey, state: DeltaState): Promise<void>;
  delete(key: DeltaStateKey): Promise<void>;
}

export function deltaStateKeyString(key: DeltaStateKey): string {
  return [key.tenantId, key.mailboxId, key.folder]
    .map((part) => encodeURIComponent(part.toLowerCase()))
    .join('/');
}

export class InMemoryDeltaStateStore implements DeltaStateStore {
  private readonly states = new Map<string, DeltaState>();

  get(key: DeltaStateKey): Promise<DeltaState | undefined> {
    const state = this.states.get(deltaStateKeyString(key));
    return Promise.resolve(state ? { ...state } : undefined);
  }

  put(key: DeltaStateKey, state: DeltaState): Promise<void> {
    this.states.set(deltaStateKeyString(key), { ...state });
    return Promise.resolve();
  }

  delete(key: DeltaStateKey): Promise<void> {
    this.states.delete(deltaStateKeyString(key));
    return Promise.resolve();
  }

  get size(): number {
    return this.states.size;
  }
}
