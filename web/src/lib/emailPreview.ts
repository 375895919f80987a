// The document an email preview's iframe shows. Pure.
//
// The server already removed the tracking (GET /api/emails/:emailId's `previewHtml`);
// this is the second line: a Content-Security-Policy that lets the document load nothing
// from anywhere (inline styles and data: images only: no remote image, font, stylesheet,
// script, frame, fetch or form), and a base target of _blank, which the iframe's
// `sandbox=""` (no popups) turns into "a click on a link goes nowhere". So a preview can
// neither report that it was seen nor follow a link, whatever HTML it is given.

/** The policy, one directive per concern. */
export const PREVIEW_CSP = [
  "default-src 'none'",
  'img-src data:',
  "style-src 'unsafe-inline'",
  'font-src data:',
  "connect-src 'none'",
  "script-src 'none'",
  "frame-src 'none'",
  "form-action 'none'",
  "base-uri 'none'",
].join('; ');

/**
 * `html` as the srcdoc of a preview iframe: a doctype (standards mode), then the policy
 * and the base target before anything of the email's, so they are in force (and in the
 * document's head) before the first element that could load or link anything.
 */
export function previewDocument(html: string): string {
  return `<!doctype html><meta http-equiv="Content-Security-Policy" content="${PREVIEW_CSP}"><base target="_blank">${html}`;
}
