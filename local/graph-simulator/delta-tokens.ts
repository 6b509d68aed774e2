/**
 * Delta state tokens. A token carries the whole state of a delta round (what is tracked, the query
 * options of the first request, the version the round started at, the offset reached), so
 * `@odata.nextLink` / `@odata.deltaLink` URLs work as Graph's do: copy them, send them back as-is.
 * Tokens of an older epoch (see `expire()`), older than the lifetime, or that do not decode are
 * answered with 410 SyncStateNotFound.
 */
import { z } from 'zod';
import { GraphHttpError } from './graph-http';

const common = {
  user: z.string(),
  select: z.array(z.string()).nullable(),
  /** Version up to which the client is in sync; null during the first (full) round. */
  since: z.number().nullable(),
  /** Version at the start of this round: the next deltaLink's `since`. */
  round: z.number(),
  offset: z.number().int().min(0),
  epoch: z.number().int(),
  issued: z.number(),
};

const messageState = z.object({
  kind: z.literal('messages'),
  folder: z.string(),
  receivedAfter: z.object({ value: z.number(), inclusive: z.boolean() }).nullable(),
  descending: z.boolean(),
  changeType: z.enum(['created', 'updated', 'deleted']).nullable(),
  ...common,
});

const eventState = z.object({
  kind: z.literal('events'),
  start: z.number(),
  end: z.number(),
  ...common,
});

const deltaState = z.discriminatedUnion('kind', [messageState, eventState]);

export type MessageDeltaState = z.infer<typeof messageState>;
export type EventDeltaState = z.infer<typeof eventState>;
export type DeltaState = z.infer<typeof deltaState>;

const PREFIX = 'GwcB';

export class DeltaTokens {
  private epoch = 0;

  constructor(private readonly lifetimeMs: number | null = null) {}

  get currentEpoch(): number {
    return this.epoch;
  }

  /** Every token issued so far becomes unusable (410 SyncStateNotFound). */
  expire(): void {
    this.epoch++;
  }

  encode(state: DeltaState): string {
    return PREFIX + Buffer.from(JSON.stringify(state)).toString('base64url');
  }

  decode(token: string): DeltaState {
    const gone = new GraphHttpError(
      410,
      'SyncStateNotFound',
      'The sync state generation is not found. The delta token is expired and data must be synchronized again.',
    );
    if (!token.startsWith(PREFIX)) throw gone;
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(token.slice(PREFIX.length), 'base64url').toString('utf8'));
    } catch {
      throw gone;
    }
    const parsed = deltaState.safeParse(json);
    if (!parsed.success || parsed.data.epoch !== this.epoch) throw gone;
    if (this.lifetimeMs !== null && Date.now() - parsed.data.issued > this.lifetimeMs) throw gone;
    return parsed.data;
  }
}
