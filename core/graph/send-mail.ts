import type { GraphConnection } from './client.ts';
import { graphPost } from './request.ts';

/** A message the product sends: the consent request to a tenant admin. */
export interface OutgoingMail {
  /** The sending mailbox (address or object id). */
  from: string;
  to: readonly string[];
  subject: string;
  html: string;
}

/** `POST /users/{from}/sendMail`; not kept in the sender's Sent Items. */
export async function sendMail(graph: GraphConnection, mail: OutgoingMail): Promise<void> {
  await graphPost(
    graph,
    `/users/${encodeURIComponent(mail.from)}/sendMail`,
    {
      message: {
        subject: mail.subject,
        body: { contentType: 'HTML', content: mail.html },
        toRecipients: mail.to.map((address) => ({ emailAddress: { address } })),
      },
      saveToSentItems: false,
    },
    { what: `sending mail from ${mail.from}` },
  );
}
