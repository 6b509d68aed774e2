import { z } from 'zod';

/** Who did something, as recorded on configuration: taken from the caller's verified identity. */
export const actorSchema = z.object({ userId: z.string(), email: z.string(), name: z.string() });
export type Actor = z.infer<typeof actorSchema>;

export function actorOf(identity: Actor): Actor {
  return { userId: identity.userId, email: identity.email, name: identity.name };
}
