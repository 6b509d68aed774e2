import { z } from 'zod';
import type { CustomerDataset } from '../core/datasets/customer-dataset';
import { generateTenant, type GeneratedTenant } from '../local/graph-simulator';

/** The generated tenant a benchmark runs on; every process rebuilds the same one from these options. */
export const workloadSchema = z.object({
  seed: z.string(),
  mailboxes: z.number().int(),
  messagesPerMailbox: z.number().int(),
  accounts: z.number().int().optional(),
  asOf: z.iso.datetime(),
});

export type Workload = z.infer<typeof workloadSchema>;

/**
 * The tenant (mailboxes are built lazily, one at a time). `mailboxCacheSize` keeps the mailboxes
 * being served at once in memory, so the simulator does not build one twice while serving its pages.
 */
export function workloadTenant(workload: Workload, mailboxCacheSize = 8): GeneratedTenant {
  return generateTenant({
    seed: workload.seed,
    sellers: workload.mailboxes,
    ...(workload.accounts === undefined ? {} : { accounts: workload.accounts }),
    asOf: workload.asOf,
    messagesPerMailbox: workload.messagesPerMailbox,
    mailboxCacheSize,
  });
}

/** What an admin would configure: the sales groups (every seller's mailbox is tracked) and the customer dataset. */
export function workloadInputs(tenant: GeneratedTenant): { tracked: string[]; dataset: CustomerDataset } {
  return {
    tracked: tenant.groups.map((group) => group.mail ?? group.id),
    dataset: {
      accounts: tenant.customers.accounts.map((account) => ({ ...account })),
      contacts: tenant.customers.contacts.map((contact) => ({ ...contact })),
    },
  };
}
