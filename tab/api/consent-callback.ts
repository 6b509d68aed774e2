import type { Request, Response } from 'express';
import { completeConsent, type ConsentOutcome, type ConsentServices } from '../../core/config/consent';
import { escapeHtml } from '../../core/config/consent-mail';
import { errorDetail } from '../../core/text/error-text';

function single(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

interface Page {
  status: number;
  tone: 'success' | 'warning' | 'error';
  title: string;
  lines: string[];
}

function pageOf(outcome: ConsentOutcome): Page {
  switch (outcome.kind) {
    case 'granted':
      return {
        status: 200,
        tone: 'success',
        title: 'Consent granted',
        lines: [
          `Account engagement may now read email and meeting metadata for "${outcome.enrichmentName}".`,
          'The first enrichment runs by itself within a few hours, or an admin can start it now with Run now in the tab.',
          'An Account engagement tab that is already open updates by itself: this window can be closed.',
        ],
      };
    case 'refused':
      return {
        status: 200,
        tone: 'warning',
        title: 'Consent was not granted',
        lines: [
          `"${outcome.enrichmentName}" cannot run without consent.`,
          `Reason: ${outcome.reason}`,
          'An admin can send a new request from the tab.',
        ],
      };
    case 'invalid':
      return { status: 400, tone: 'error', title: 'This link cannot be used', lines: [outcome.reason] };
  }
}

const TONES = { success: '#107c10', warning: '#bc4b09', error: '#c50f1f' } as const;

function render(page: Page): string {
  const colour = TONES[page.tone];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(page.title)} · Account engagement</title>
<style>
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #f5f5f5;
         font-family: "Segoe UI", -apple-system, Helvetica, Arial, sans-serif; color: #242424; }
  main { max-width: 28rem; margin: 1.5rem; padding: 2rem; background: #fff; border-radius: 8px;
         box-shadow: 0 2px 4px rgba(0,0,0,.14), 0 0 2px rgba(0,0,0,.12); border-top: 4px solid ${colour}; }
  h1 { margin: 0 0 1rem; font-size: 1.25rem; font-weight: 600; color: ${colour}; }
  p { margin: 0 0 .75rem; line-height: 1.4; }
  a { display: inline-block; margin-top: .75rem; padding: .5rem 1rem; border-radius: 4px; background: #5b5fc7;
      color: #fff; text-decoration: none; font-weight: 600; }
  a:focus-visible { outline: 2px solid #242424; outline-offset: 2px; }
  @media (prefers-color-scheme: dark) {
    body { background: #1f1f1f; color: #ffffff; }
    main { background: #292929; box-shadow: 0 2px 4px rgba(0,0,0,.28), 0 0 2px rgba(0,0,0,.24); }
    h1 { filter: brightness(1.6); }
    a:focus-visible { outline-color: #ffffff; }
  }
</style>
</head>
<body>
<main>
<h1>${escapeHtml(page.title)}</h1>
${page.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}
<a href="/tab/">Open Account engagement</a>
</main>
</body>
</html>
`;
}

/**
 * `GET /api/consent/callback`: where the identity platform sends the tenant admin's browser after
 * the admin-consent prompt. It carries no bearer token; the request is authenticated by its `state`.
 */
export function consentCallback(services: Pick<ConsentServices, 'containers' | 'now'>) {
  return (req: Request, res: Response) => {
    const query = req.query;
    completeConsent(services, {
      state: single(query.state),
      admin_consent: single(query.admin_consent),
      tenant: single(query.tenant),
      error: single(query.error),
      error_description: single(query.error_description),
    }).then(
      (outcome) => {
        const page = pageOf(outcome);
        res.status(page.status).set('Cache-Control', 'no-store').type('html').send(render(page));
      },
      (error: unknown) => {
        console.error(`[consent] ${errorDetail(error)}`);
        res
          .status(500)
          .set('Cache-Control', 'no-store')
          .type('html')
          .send(
            render({
              status: 500,
              tone: 'error',
              title: 'Something went wrong',
              lines: ['The answer could not be recorded. Open the link from the message again in a moment.'],
            }),
          );
      },
    );
  };
}
