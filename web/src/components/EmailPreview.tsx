import type { Email } from '../api/emails/types';

/**
 * An email's HTML, rendered in an iframe with every sandbox restriction (`sandbox=""`:
 * no scripts, no forms, no navigation, a unique origin), so whatever a writer produced
 * cannot touch the dashboard. Falls back to the plain text when there is no HTML.
 */
export function EmailPreview({ email, height = 420 }: { email: Email; height?: number }) {
  if (!email.html) {
    return <pre className="email-text">{email.content || '(empty message)'}</pre>;
  }
  return (
    <iframe
      className="email-frame"
      title={`Preview of the email “${email.subject}”`}
      sandbox=""
      srcDoc={email.html}
      referrerPolicy="no-referrer"
      style={{ height }}
    />
  );
}
