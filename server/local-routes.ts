import { escapeHtml } from '../core/config/consent-mail';

/**
 * Pages only the local server serves, below LOCAL_PATH (the local mailbox, the stand-in
 * admin-consent page: see local/local-consent.ts). `createApp` mounts them in local mode only, so in
 * production every path below it answers 404.
 */
export const LOCAL_PATH = '/local';

/** The script of the local pages (local times, "new mail arrived"), served beside them. */
export const LOCAL_SCRIPT_PATH = `${LOCAL_PATH}/assets/local-pages.js`;

/**
 * The look the tab has (Fluent UI's Teams palette, light and dark by the system's setting), for
 * server-rendered pages: colour tokens as CSS variables, type, links, buttons and focus rings.
 */
const BASE_CSS = `
:root {
  color-scheme: light dark;
  --bg: #f5f5f5; --card: #ffffff; --subtle: #fafafa; --fg: #242424; --fg2: #424242; --fg3: #616161;
  --stroke: #e0e0e0; --stroke2: #d1d1d1; --brand: #5b5fc7; --brand-hover: #4f52b2; --brand-pressed: #444791;
  --brand-tint: #ebebf5; --link: #5b5fc7; --link-hover: #4f52b2; --on-brand: #ffffff;
  --success: #107c10; --danger: #c50f1f;
  --shadow: 0 2px 4px rgba(0,0,0,.14), 0 0 2px rgba(0,0,0,.12);
  --focus: #000000;
  --font: "Segoe UI", "Segoe UI Web (West European)", -apple-system, BlinkMacSystemFont, Roboto, "Helvetica Neue", Helvetica, Arial, sans-serif;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #1f1f1f; --card: #292929; --subtle: #2e2e2e; --fg: #ffffff; --fg2: #d6d6d6; --fg3: #adadad;
    --stroke: #3d3d3d; --stroke2: #666666; --brand: #4f52b2; --brand-hover: #5b5fc7; --brand-pressed: #444791;
    --brand-tint: #3d3e66; --link: #9299f7; --link-hover: #aaaff8; --on-brand: #ffffff;
    --success: #54b054; --danger: #dc626d;
    --shadow: 0 2px 4px rgba(0,0,0,.28), 0 0 2px rgba(0,0,0,.24);
    --focus: #ffffff;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; min-height: 100vh; background: var(--bg); color: var(--fg); font-family: var(--font);
       font-size: 14px; line-height: 20px; }
h1, h2, h3 { margin: 0; }
a { color: var(--link); text-decoration: none; }
a:hover { color: var(--link-hover); text-decoration: underline; }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; border-radius: 2px; }
.button { display: inline-flex; align-items: center; justify-content: center; gap: 6px; min-height: 32px;
          padding: 5px 12px; border-radius: 4px; border: 1px solid var(--stroke2); background: var(--card);
          color: var(--fg); font: inherit; font-weight: 600; cursor: pointer; text-decoration: none; }
.button:hover { background: var(--subtle); color: var(--fg); text-decoration: none; }
.button.primary { background: var(--brand); border-color: transparent; color: var(--on-brand); }
.button.primary:hover { background: var(--brand-hover); color: var(--on-brand); }
.button.primary:active { background: var(--brand-pressed); }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; overflow: hidden;
                   clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
@media (forced-colors: active) {
  .button { border-color: ButtonText; }
  .button.primary { background: Highlight; color: HighlightText; }
}
`;

export interface LocalPageOptions {
  title: string;
  /** The page's own CSS, after the shared look. */
  css: string;
  /** The markup inside <body>, already escaped. */
  body: string;
  /** Load the local pages' script (LOCAL_SCRIPT_PATH). */
  script?: boolean;
}

/** A whole server-rendered page in the tab's look. Scripts come from the app only (the CSP allows no inline script). */
export function localPage(options: LocalPageOptions): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<style>${BASE_CSS}${options.css}</style>
${options.script ? `<script src="${LOCAL_SCRIPT_PATH}" defer></script>\n` : ''}</head>
<body>
${options.body}
</body>
</html>
`;
}

/**
 * What the local pages' script does, progressively: shows instants (`<time data-local>`) in the
 * browser's time zone, and on the mailbox tells when new mail arrived (`data-mail-count`).
 */
export const LOCAL_SCRIPT = `(() => {
  const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  for (const time of document.querySelectorAll('time[data-local]')) {
    const at = new Date(time.getAttribute('datetime') || '');
    if (!Number.isNaN(at.getTime())) time.textContent = format.format(at);
  }
  const list = document.querySelector('[data-mail-count]');
  const notice = document.getElementById('new-mail');
  if (!list || !notice) return;
  const shown = Number(list.getAttribute('data-mail-count'));
  const check = () =>
    fetch('${LOCAL_PATH}/mailbox/count', { cache: 'no-store' })
      .then((response) => (response.ok ? response.json() : null))
      .then((answer) => {
        if (answer && typeof answer.count === 'number' && answer.count > shown) {
          notice.hidden = false;
          return;
        }
        setTimeout(check, 3000);
      })
      .catch(() => setTimeout(check, 10000));
  setTimeout(check, 3000);
})();
`;
