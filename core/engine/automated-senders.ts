/**
 * Automated senders: an address whose local part is one of these (any case, whatever its domain)
 * is never a person of any account, even when a dataset lists it as a contact. Mail from
 * noreply@customer.com is the customer's system talking, not the customer. This module is the only
 * place the list lives.
 */
export const AUTOMATED_LOCAL_PARTS: ReadonlySet<string> = new Set([
  'noreply',
  'no-reply',
  'donotreply',
  'do-not-reply',
  'mailer-daemon',
  'postmaster',
  'notifications',
  'bounce',
]);

const LONGEST = Math.max(...[...AUTOMATED_LOCAL_PARTS].map((p) => p.length));

/** Whether a trimmed, lower-cased address is an automated sender's. */
export function isAutomatedSender(address: string): boolean {
  const at = address.lastIndexOf('@');
  return at > 0 && at <= LONGEST && AUTOMATED_LOCAL_PARTS.has(address.slice(0, at));
}
