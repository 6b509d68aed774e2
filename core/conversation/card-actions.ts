import { z } from 'zod';
import { MAX_CHOICE_PAGES } from './answers';
import { MAX_NAME_LENGTH } from './message-intent';

const id = z.string().trim().min(1).max(200);

/**
 * What a card button asks for. The same data arrives through Universal Actions (`Action.Execute`,
 * the verb naming the action) and through the `Action.Submit` fallback (a message whose value
 * carries `action`); both are validated here before the bot acts on them.
 */
export const cardActionSchema = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('customer'),
    accountId: id,
    history: z.enum(['Month', 'Week']).default('Month'),
  }),
  /** A chooser's page: the accounts matching `query`, `page` of them (1 the closest). */
  z.object({
    action: z.literal('choose'),
    query: z.string().trim().min(1).max(MAX_NAME_LENGTH),
    page: z.number().int().min(1).max(MAX_CHOICE_PAGES),
  }),
  z.object({ action: z.literal('snooze'), alertId: id, enrichmentId: id, accountId: id }),
  z.object({ action: z.literal('decline'), alertId: id, enrichmentId: id, accountId: id }),
]);

export type CardAction = z.infer<typeof cardActionSchema>;

/** The action of a button press, or undefined when the data is not one of ours. */
export function parseCardAction(verb: string | undefined, data: unknown): CardAction | undefined {
  const fields = typeof data === 'object' && data !== null && !Array.isArray(data) ? data : {};
  const result = cardActionSchema.safeParse(verb ? { ...fields, action: verb } : fields);
  return result.success ? result.data : undefined;
}
