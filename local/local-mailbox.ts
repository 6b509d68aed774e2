/**
 * The local mailbox: in local mode the mail the product sends through Microsoft Graph (`sendMail`:
 * the consent request, and anything later) goes to the Graph simulator, which keeps it. This page,
 * served by the app server over plain http in local mode only, shows that mail, newest first, with
 * its HTML body made safe (only plain formatting and http(s)/mailto links survive).
 */
import express, { type Router } from 'express';
import { escapeHtml } from '../core/config/consent-mail';
import { LOCAL_MAILBOX_PATH } from '../core/config/consent';
import { localPage } from '../server/local-routes';
import type { GraphSimulator } from './graph-simulator';

export interface MailAddress {
  name: string | null;
  address: string;
}

export interface LocalMail {
  /** 1 for the first message sent, counting up. */
  number: number;
  at: Date;
  from: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
  subject: string;
  body: { contentType: 'html' | 'text'; content: string };
}

function addressesOf(value: unknown): MailAddress[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((recipient: unknown) => {
    const email = (recipient as { emailAddress?: { address?: unknown; name?: unknown } } | null)
      ?.emailAddress;
    if (typeof email?.address !== 'string') return [];
    return [{ address: email.address, name: typeof email.name === 'string' ? email.name : null }];
  });
}

/** Every message posted to the simulator's sendMail, oldest first, with its sender resolved. */
export function simulatorMail(graph: Pick<GraphSimulator, 'sentMail' | 'tenant'>): LocalMail[] {
  return graph.sentMail.map((sent, index) => {
    const sender = graph.tenant.users.find((user) => user.id === sent.userId);
    const message = sent.message;
    const body = message['body'] as { contentType?: unknown; content?: unknown } | undefined;
    return {
      number: index + 1,
      at: sent.at,
      from: {
        name: sender?.displayName ?? null,
        address: sender?.mail ?? sender?.userPrincipalName ?? sent.userId,
      },
      to: addressesOf(message['toRecipients']),
      cc: addressesOf(message['ccRecipients']),
      bcc: addressesOf(message['bccRecipients']),
      subject: typeof message['subject'] === 'string' ? message['subject'] : '',
      body: {
        contentType: String(body?.contentType ?? '').toLowerCase() === 'html' ? 'html' : 'text',
        content: typeof body?.content === 'string' ? body.content : '',
      },
    };
  });
}

// ---- making mail HTML safe ----

const ALLOWED_TAGS = new Set([
  'a',
  'abbr',
  'b',
  'blockquote',
  'br',
  'code',
  'div',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'hr',
  'i',
  'li',
  'ol',
  'p',
  'pre',
  's',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'u',
  'ul',
]);
const VOID_TAGS = new Set(['br', 'hr']);
const BLOCKS = ['blockquote', 'div', 'h1', 'h2', 'h3', 'h4', 'hr', 'ol', 'p', 'pre', 'table', 'ul'];
/** Open elements a new element ends, as HTML parsers imply (`<li>one<li>two`, `<p>a<div>`). */
const IMPLIED_END: Record<string, readonly string[]> = {
  li: ['li', 'p'],
  tr: ['tr', 'td', 'th'],
  td: ['td', 'th'],
  th: ['td', 'th'],
  ...Object.fromEntries(BLOCKS.map((tag) => [tag, ['p']])),
};
/** Elements dropped with everything inside them. */
const DROPPED_WITH_CONTENT =
  /<(script|style|head|title|iframe|frame|frameset|object|embed|applet|template|noscript|noembed|textarea|xmp|svg|math|select|option)\b[\s\S]*?<\/\1\s*>/gi;
const TOKEN =
  /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<![^>]*>|<\?[^>]*>|<(\/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const STYLE_PROPERTIES = new Set([
  'background',
  'background-color',
  'border',
  'border-bottom',
  'border-collapse',
  'border-left',
  'border-radius',
  'border-right',
  'border-top',
  'color',
  'display',
  'font-family',
  'font-size',
  'font-style',
  'font-weight',
  'line-height',
  'margin',
  'margin-bottom',
  'margin-left',
  'margin-right',
  'margin-top',
  'max-width',
  'padding',
  'padding-bottom',
  'padding-left',
  'padding-right',
  'padding-top',
  'text-align',
  'text-decoration',
  'vertical-align',
  'white-space',
  'width',
]);
const STYLE_VALUE = /^[#\w\s.,%'"()+-]*$/;
const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  copy: '©',
  reg: '®',
  middot: '·',
  bull: '•',
};

/** Character references decoded (the named ones mail uses, and every numeric one). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
        ? String.fromCodePoint(code)
        : '\ufffd';
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/** An http(s) or mailto link as written in the mail, else undefined (javascript:, data:, relative, …). */
function safeHref(raw: string): string | undefined {
  // Browsers ignore control characters and spaces inside a scheme ("java\tscript:").
  const href = decodeEntities(raw).trim();
  const compact = [...href].filter((c) => c.charCodeAt(0) > 0x20).join('');
  if (!/^(https?:\/\/|mailto:)/i.test(compact)) return undefined;
  try {
    return new URL(compact).toString();
  } catch {
    return undefined;
  }
}

/** Declarations of plain formatting only: no url(), expressions, imports or escapes. */
function safeStyle(raw: string): string {
  return decodeEntities(raw)
    .split(';')
    .flatMap((declaration) => {
      const colon = declaration.indexOf(':');
      if (colon < 0) return [];
      const property = declaration.slice(0, colon).trim().toLowerCase();
      const value = declaration.slice(colon + 1).trim();
      if (!STYLE_PROPERTIES.has(property) || !value || !STYLE_VALUE.test(value)) return [];
      if (/url|expression|image|var\(|attr\(|position/i.test(value)) return [];
      return [`${property}:${value}`];
    })
    .join(';');
}

function attributesOf(tag: string, raw: string): string {
  const kept: string[] = [];
  for (const match of raw.matchAll(ATTRIBUTE)) {
    const name = (match[1] ?? '').toLowerCase();
    const value = match[2] ?? match[3] ?? match[4] ?? '';
    if (name === 'href' && tag === 'a') {
      const href = safeHref(value);
      if (href) kept.push(`href="${escapeHtml(href)}"`, 'rel="noopener noreferrer"');
    } else if (name === 'style') {
      const style = safeStyle(value);
      if (style) kept.push(`style="${escapeHtml(style)}"`);
    } else if ((name === 'colspan' || name === 'rowspan') && /^\d{1,3}$/.test(value.trim())) {
      kept.push(`${name}="${value.trim()}"`);
    } else if (name === 'title' || name === 'lang') {
      kept.push(`${name}="${escapeHtml(decodeEntities(value))}"`);
    }
  }
  return kept.length ? ` ${kept.join(' ')}` : '';
}

/**
 * Mail HTML made safe to show inside a page: only plain formatting elements, inline styles of plain
 * formatting, and http(s)/mailto links are kept, every other element is dropped (scripts, styles,
 * frames and forms with their content), text is re-escaped, and the elements are balanced so the
 * mail cannot change the page around it.
 */
export function sanitizeMailHtml(html: string): string {
  const source = html.replace(DROPPED_WITH_CONTENT, '');
  const out: string[] = [];
  const open: string[] = [];
  const text = (chunk: string) => {
    if (chunk) out.push(escapeHtml(decodeEntities(chunk)));
  };
  let last = 0;
  for (const match of source.matchAll(TOKEN)) {
    text(source.slice(last, match.index));
    last = match.index + match[0].length;
    const name = match[2]?.toLowerCase();
    if (!name || !ALLOWED_TAGS.has(name)) continue;
    if (match[1] === '/') {
      const at = open.lastIndexOf(name);
      if (at < 0) continue;
      while (open.length > at) out.push(`</${open.pop() ?? ''}>`);
      continue;
    }
    const ends = IMPLIED_END[name] ?? [];
    while (open.length && ends.includes(open[open.length - 1] ?? '')) out.push(`</${open.pop() ?? ''}>`);
    out.push(`<${name}${attributesOf(name, match[3] ?? '')}>`);
    if (!VOID_TAGS.has(name)) open.push(name);
  }
  text(source.slice(last));
  while (open.length) out.push(`</${open.pop() ?? ''}>`);
  return out.join('');
}

/** A plain-text body, escaped, with its http(s) addresses as links. */
export function textMailHtml(text: string): string {
  const parts: string[] = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/g)) {
    parts.push(escapeHtml(text.slice(last, match.index)));
    const href = safeHref(match[0]);
    parts.push(
      href
        ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${escapeHtml(match[0])}</a>`
        : escapeHtml(match[0]),
    );
    last = match.index + match[0].length;
  }
  parts.push(escapeHtml(text.slice(last)));
  return `<div class="text-body">${parts.join('')}</div>`;
}

// ---- the page ----

const utcFormat = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'medium',
  timeZone: 'UTC',
});

function time(at: Date): string {
  return `<time datetime="${at.toISOString()}" data-local>${escapeHtml(utcFormat.format(at))} UTC</time>`;
}

function initials(address: MailAddress): string {
  const source = address.name?.trim() || address.address;
  const words = source.split(/[\s@._-]+/).filter(Boolean);
  return ((words[0]?.[0] ?? '?') + (words.length > 1 ? (words[1]?.[0] ?? '') : '')).toUpperCase();
}

function addressText(address: MailAddress): string {
  return address.name
    ? `${escapeHtml(address.name)} <span class="address">&lt;${escapeHtml(address.address)}&gt;</span>`
    : escapeHtml(address.address);
}

function addressList(addresses: MailAddress[]): string {
  return addresses.map(addressText).join(', ');
}

function messageHtml(mail: LocalMail, open: boolean): string {
  const id = `message-${mail.number}`;
  const subject = mail.subject.trim() || '(no subject)';
  const rows: [string, string][] = [
    ['From', addressText(mail.from)],
    ['To', addressList(mail.to)],
    ...(mail.cc.length ? ([['Cc', addressList(mail.cc)]] as [string, string][]) : []),
    ...(mail.bcc.length ? ([['Bcc', addressList(mail.bcc)]] as [string, string][]) : []),
    ['Sent', time(mail.at)],
  ];
  const body =
    mail.body.contentType === 'html' ? sanitizeMailHtml(mail.body.content) : textMailHtml(mail.body.content);
  return `<li>
<article class="message" id="${id}" aria-labelledby="${id}-subject">
<details${open ? ' open' : ''}>
<summary>
<span class="avatar" aria-hidden="true">${escapeHtml(initials(mail.from))}</span>
<span class="summary-text">
<span class="summary-from">${escapeHtml(mail.from.name ?? mail.from.address)}</span>
<span class="summary-subject" id="${id}-subject">${escapeHtml(subject)}</span>
</span>
<span class="summary-time">${time(mail.at)}</span>
</summary>
<div class="message-body">
<dl class="meta">
${rows.map(([term, value]) => `<div><dt>${term}</dt><dd>${value}</dd></div>`).join('\n')}
</dl>
<div class="paper">${body}</div>
</div>
</details>
</article>
</li>`;
}

const MAILBOX_CSS = `
.top { display: flex; align-items: center; gap: 12px; padding: 10px 24px; background: var(--card);
       border-bottom: 1px solid var(--stroke); }
.logo { width: 28px; height: 28px; border-radius: 6px; background: var(--brand); color: var(--on-brand);
        display: grid; place-items: center; flex: 0 0 auto; }
.product { font-weight: 600; font-size: 16px; }
.pill { padding: 0 8px; border-radius: 10px; background: var(--brand-tint); color: var(--fg);
        font-size: 12px; line-height: 20px; font-weight: 600; white-space: nowrap; }
.top .spacer { flex: 1 1 auto; }
main { max-width: 880px; margin: 0 auto; padding: 24px; display: grid; gap: 16px; }
.intro h1 { font-size: 28px; line-height: 36px; font-weight: 600; }
.intro p { margin: 8px 0 0; color: var(--fg2); max-width: 72ch; }
.toolbar { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; justify-content: space-between; }
.toolbar .count { color: var(--fg2); }
.notice { padding: 8px 12px; border-radius: 4px; background: var(--brand-tint); border: 1px solid var(--stroke); }
.notice[hidden] { display: none; }
.messages { list-style: none; margin: 0; padding: 0; display: grid; gap: 12px; }
.message { background: var(--card); border-radius: 8px; box-shadow: var(--shadow); overflow: hidden; }
summary { display: grid; grid-template-columns: 36px minmax(0, 1fr) auto; gap: 12px; align-items: center;
          padding: 12px 16px; cursor: pointer; list-style: none; }
summary::-webkit-details-marker { display: none; }
summary:hover { background: var(--subtle); }
details[open] > summary { border-bottom: 1px solid var(--stroke); }
.avatar { width: 36px; height: 36px; border-radius: 50%; display: grid; place-items: center;
          background: var(--brand-tint); color: var(--fg); font-weight: 600; font-size: 13px; }
.summary-text { display: flex; flex-direction: column; min-width: 0; }
.summary-from { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.summary-subject { color: var(--fg2); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
details[open] .summary-subject { white-space: normal; color: var(--fg); font-size: 16px; line-height: 22px;
                                 font-weight: 600; }
.summary-time { color: var(--fg3); font-size: 12px; white-space: nowrap; }
.message-body { padding: 12px 16px 16px; display: grid; gap: 12px; }
.meta { margin: 0; display: grid; gap: 2px; }
.meta div { display: grid; grid-template-columns: 48px minmax(0, 1fr); gap: 8px; }
.meta dt { color: var(--fg3); }
.meta dd { margin: 0; overflow-wrap: anywhere; }
.meta .address { color: var(--fg3); }
/* The mail as its sender wrote it: on white, as mail clients show HTML mail in either theme. */
.paper { color-scheme: light; background: #ffffff; color: #242424; border: 1px solid var(--stroke);
         border-radius: 4px; padding: 16px; overflow-x: auto; overflow-wrap: anywhere; }
.paper a { color: #5b5fc7; }
.paper ul { list-style: disc; }
.paper ol { list-style: decimal; }
.paper a[style] { text-decoration: none; }
.paper p:first-child { margin-top: 0; }
.paper p:last-child { margin-bottom: 0; }
.text-body { white-space: pre-wrap; }
.empty { background: var(--card); border-radius: 8px; box-shadow: var(--shadow); padding: 24px; }
.empty h2 { font-size: 16px; line-height: 22px; margin-bottom: 4px; }
.empty p { margin: 0; color: var(--fg2); }
@media (max-width: 600px) {
  .top { padding: 8px 12px; gap: 8px; }
  .top .open-tab { display: none; }
  main { padding: 16px 12px; }
  .intro h1 { font-size: 24px; line-height: 32px; }
  summary { grid-template-columns: 32px minmax(0, 1fr); gap: 10px; padding: 12px; }
  .avatar { width: 32px; height: 32px; }
  .summary-time { grid-column: 2; }
  .message-body { padding: 12px; }
  .paper { padding: 12px; }
}
`;

const MAIL_ICON = `<svg width="18" height="18" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true"><path d="M15.5 4A2.5 2.5 0 0 1 18 6.5v7a2.5 2.5 0 0 1-2.5 2.5h-11A2.5 2.5 0 0 1 2 13.5v-7A2.5 2.5 0 0 1 4.5 4h11ZM17 7.96l-6.75 3.97a.5.5 0 0 1-.42.04l-.08-.04L3 7.96v5.54c0 .83.67 1.5 1.5 1.5h11c.83 0 1.5-.67 1.5-1.5V7.96ZM15.5 5h-11C3.67 5 3 5.67 3 6.5v.3l7 4.12 7-4.12v-.3c0-.83-.67-1.5-1.5-1.5Z"/></svg>`;

/** The local mailbox page: every message, newest first (the newest opened). */
export function mailboxPage(messages: readonly LocalMail[]): string {
  const newest = [...messages].sort((a, b) => b.at.getTime() - a.at.getTime() || b.number - a.number);
  const count = `${newest.length} ${newest.length === 1 ? 'message' : 'messages'}${newest.length > 1 ? ', newest first' : ''}`;
  const list = newest.length
    ? `<ol class="messages" aria-label="Messages" data-mail-count="${newest.length}">
${newest.map((mail, index) => messageHtml(mail, index === 0)).join('\n')}
</ol>`
    : `<section class="empty" data-mail-count="0">
<h2>No mail yet</h2>
<p>Saving an enrichment in Set up mails the tenant admin a consent request; so does “Send the request” on the Consent page. It appears here.</p>
</section>`;
  return localPage({
    title: 'Local mailbox · Account engagement',
    css: MAILBOX_CSS,
    script: true,
    body: `<header class="top">
<span class="logo">${MAIL_ICON}</span>
<span class="product">Account engagement</span>
<span class="pill">Local mode</span>
<span class="spacer"></span>
<a class="open-tab" href="/tab/">Open the tab</a>
</header>
<main>
<div class="intro">
<h1>Local mailbox</h1>
<p>In local mode, mail that Account engagement sends through Microsoft Graph goes to the Graph simulator instead of real mailboxes and is delivered here. Nothing leaves this machine.</p>
</div>
<div class="toolbar">
<span class="count">${count}</span>
<a class="button" href="${LOCAL_MAILBOX_PATH}">Refresh</a>
</div>
<p class="notice" id="new-mail" role="status" hidden>New mail arrived. <a href="${LOCAL_MAILBOX_PATH}">Show it</a></p>
${list}
</main>`,
  });
}

/** `GET /mailbox` (the page) and `GET /mailbox/count` (for its "new mail" notice), below the local path. */
export function localMailboxRoutes(mail: () => readonly LocalMail[]): Router {
  const router = express.Router();
  router.get('/mailbox', (_req, res) => {
    res.set('Cache-Control', 'no-store').type('html').send(mailboxPage(mail()));
  });
  router.get('/mailbox/count', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ count: mail().length });
  });
  return router;
}
