import { plainText, type Email } from '../api/emails/types';
import { previewDocument } from '../lib/emailPreview';

/**
 * An email's HTML as the server prepared it for previews (`previewHtml`: no open pixel,
 * no tracked links), in an iframe with every sandbox restriction (`sandbox=""`: no
 * scripts, no forms, no popups, a unique origin) and a policy that loads nothing remote
 * (see lib/emailPreview), so viewing it changes nothing and whatever a writer produced
 * cannot touch the dashboard. The HTML as sent (`html`) is never rendered: without a
 * preview form (an email from a list, or an older server) the plain text is shown.
 */
export function EmailPreview({ email, height = 420 }: { email: Email; height?: number }) {
  if (!email.previewHtml) {
    return <pre className="email-text">{plainText(email) || '(empty message)'}</pre>;
  }
  return (
    <iframe
      className="email-frame"
      title={`Preview of the email “${email.subject}”`}
      sandbox=""
      srcDoc={previewDocument(email.previewHtml)}
      referrerPolicy="no-referrer"
      style={{ height }}
    />
  );
}
