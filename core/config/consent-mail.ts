import type { Actor } from './actor';

/** The application permissions the consent grants (see aad.manifest.json). */
export const CONSENT_PERMISSIONS = [
  [
    'Mail.ReadBasic.All',
    'email metadata: sender, recipients and times; never subjects, bodies or attachments',
  ],
  [
    'Calendars.ReadBasic.All',
    'meeting metadata: organizer, attendees, start and end; never subjects or bodies',
  ],
  ['User.Read.All', 'user names and addresses, to know who is tracked'],
  ['GroupMember.Read.All', 'group memberships, to expand tracked groups'],
] as const;

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

export interface ConsentMailInput {
  link: string;
  enrichmentName: string;
  requester: Actor;
  /** ISO instant after which the link no longer works. */
  expiresAt: string;
}

/** The consent request mailed to the tenant admin: subject and HTML body. */
export function consentRequestMail(input: ConsentMailInput): { subject: string; html: string } {
  const link = escapeHtml(input.link);
  const expires = new Date(input.expiresAt).toUTCString();
  const permissions = CONSENT_PERMISSIONS.map(
    ([name, what]) => `<li><strong>${name}</strong>: ${escapeHtml(what)}</li>`,
  ).join('');
  return {
    subject: `Consent requested for Account engagement ("${input.enrichmentName}")`,
    html: [
      '<div style="font-family:Segoe UI,Helvetica,Arial,sans-serif;font-size:14px;color:#242424;max-width:560px">',
      `<p>${escapeHtml(input.requester.name)} (${escapeHtml(input.requester.email)}) set up the Account engagement`,
      ` enrichment <strong>${escapeHtml(input.enrichmentName)}</strong> and asks you, as an administrator of your`,
      ' Microsoft 365 organization, to grant the app these application permissions:</p>',
      `<ul>${permissions}</ul>`,
      '<p>Account engagement counts emails and meetings between your tracked users and your customer accounts.',
      ' Only the per-account totals are kept.</p>',
      `<p><a href="${link}" style="display:inline-block;padding:8px 16px;background:#5b5fc7;color:#ffffff;`,
      'text-decoration:none;border-radius:4px">Review and grant consent</a></p>',
      `<p>The link works once, until ${escapeHtml(expires)}. If you did not expect this request, ignore this message.</p>`,
      `<p style="color:#616161;font-size:12px">If the button does not work, open this address: ${link}</p>`,
      '</div>',
    ].join(''),
  };
}
