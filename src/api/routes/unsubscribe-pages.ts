// One-click unsubscribe (RFC 8058) as people and mail clients see it. Opening the link (GET, or a
// link scanner's HEAD) only shows a confirmation page: its button POSTs the same body a mail
// client's one-click POST carries, and only that POST withdraws consent. The pages hold no script
// (the server's Content-Security-Policy allows none inline): a plain form does the work.

/** The body RFC 8058 puts in the POST: `List-Unsubscribe=One-Click`. */
export const ONE_CLICK_FIELD = 'List-Unsubscribe';
export const ONE_CLICK_VALUE = 'One-Click';

/**
 * True when a POST body says `List-Unsubscribe=One-Click`, as `application/x-www-form-urlencoded`
 * (Gmail, the confirmation page) or `multipart/form-data` (RFC 8058 allows both).
 */
export function isOneClickBody(contentType: string | undefined, body: unknown): boolean {
  if (typeof body !== 'string') return false;
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return new URLSearchParams(body).getAll(ONE_CLICK_FIELD).includes(ONE_CLICK_VALUE);
  }
  if (type.startsWith('multipart/form-data')) {
    // One part named List-Unsubscribe whose value is One-Click.
    return /content-disposition:\s*form-data;\s*name="?List-Unsubscribe"?\s*\r?\n(?:[^\r\n]+\r?\n)*\r?\n\s*One-Click\s*(?:\r?\n|$)/i.test(
      body,
    );
  }
  return false;
}

const page = (title: string, body: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#2c2c2c}button{font:inherit;padding:.5rem 1.2rem;border-radius:1rem;border:1px solid #1473e6;background:#1473e6;color:#fff;cursor:pointer}</style>
</head><body>${body}</body></html>
`;

/** What GET and HEAD of the link answer: a question, and a form that POSTs the one-click body to the same URL. */
export const CONFIRM_PAGE = page(
  'Unsubscribe',
  `<h1>Unsubscribe?</h1>
<p>You will no longer receive these messages.</p>
<form method="post"><input type="hidden" name="${ONE_CLICK_FIELD}" value="${ONE_CLICK_VALUE}"><button type="submit">Unsubscribe</button></form>`,
);

export const DONE_PAGE = page(
  'Unsubscribed',
  '<h1>You are unsubscribed</h1>\n<p>You will not receive these messages any more.</p>',
);

export const INVALID_LINK = 'This link is not valid.';
export const NOT_ONE_CLICK = `An unsubscribe POST must carry ${ONE_CLICK_FIELD}=${ONE_CLICK_VALUE} (RFC 8058), as application/x-www-form-urlencoded or multipart/form-data.`;

/** An SMS short link whose code is unknown or expired (GET /s/:code). */
export const SHORT_LINK_NOT_FOUND = page(
  'Link not found',
  `<h1>This link is not available</h1>
<p>The link you followed does not exist or has expired.</p>`,
);
