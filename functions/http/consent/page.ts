/**
 * The preference page: server-rendered, accessible HTML (labelled checkboxes in a fieldset, one
 * submit button, no script). Every value is HTML-escaped; the only style is one inline block
 * allowed by its hash in the CSP, so the page needs no `unsafe-inline`.
 */
import { createHash } from 'node:crypto';
import type { PreferencePage } from '#shared/domain/consent/service';

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5}' +
  'fieldset{border:1px solid #888;border-radius:.5rem;padding:1rem}label{display:block;margin:.5rem 0}' +
  '.note{color:#444;font-size:.9rem}button{font-size:1rem;padding:.5rem 1.25rem;margin-top:1rem}' +
  '[role=status]{background:#e6f4ea;padding:.5rem 1rem;border-radius:.5rem}';

/** Only this page's own style; no script, no framing, the form posts back to this origin. */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export const pageHeaders = {
  'content-security-policy': PAGE_CSP,
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

const layout = (title: string, body: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;

export const renderPreferencePage = (page: PreferencePage, token: string, saved = false): string => {
  const boxes = page.subscriptions
    .map((s) => {
      const id = `type-${escapeHtml(s.type)}`;
      const pending =
        s.status === 'pending' ? ' <span class="note">(waiting for your confirmation)</span>' : '';
      const confirm =
        page.doubleOptIn.has(s.type) && s.status !== 'subscribed'
          ? ' <span class="note">(we email you a confirmation link first)</span>'
          : '';
      return `<label for="${id}"><input type="checkbox" id="${id}" name="subscribed" value="${escapeHtml(s.type)}"${
        s.status === 'unsubscribed' ? '' : ' checked'
      }> ${escapeHtml(s.name)}${pending}${confirm}</label>`;
    })
    .join('\n');
  return layout(
    'Your email preferences',
    `<h1>Your email preferences</h1>
${saved ? '<p role="status">Your preferences are saved.</p>' : ''}
<form method="post" action="preferences?token=${encodeURIComponent(token)}">
<fieldset>
<legend>Send me emails about</legend>
${boxes || '<p>There is nothing to subscribe to.</p>'}
</fieldset>
<button type="submit">Save my preferences</button>
</form>
<p class="note">Unchecking everything unsubscribes you from all marketing email. Emails about your own orders and account still reach you.</p>`,
  );
};

/** For a link whose customer no longer exists (erased): nothing to show, nothing kept. */
export const renderGonePage = (): string =>
  layout(
    'Your email preferences',
    '<h1>Your email preferences</h1>\n<p>We no longer hold an email subscription for this link.</p>',
  );
