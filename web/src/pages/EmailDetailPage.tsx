import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { isApiError } from '../api/client';
import { emailQuery } from '../api/emails/queries';
import { plainText } from '../api/emails/types';
import { EmailPreview } from '../components/EmailPreview';
import { EmailStatusBadge } from '../components/EmailStatusBadge';
import { Empty, ErrorState, Loading } from '../components/StatusViews';
import { trackingEvents } from '../lib/emailTracking';
import { formatDateTime, formatScore } from '../lib/format';
import { ruleLabel } from '../lib/model';
import { usePageTitle } from '../lib/usePageTitle';

export function EmailDetailPage() {
  const { emailId = '' } = useParams();
  const email = useQuery(emailQuery(emailId));
  const [view, setView] = useState<'html' | 'text'>('html');
  usePageTitle(email.data?.subject ?? 'Email');

  if (email.isPending) return <Loading label="Loading email…" />;
  if (email.isError) {
    return (
      <div className="page">
        <h1>Email</h1>
        {isApiError(email.error) && email.error.isNotFound ? (
          <Empty>
            No email has the id <code>{emailId}</code>. <Link to="/emails">Back to emails</Link>
          </Empty>
        ) : (
          <ErrorState title="Could not load this email" error={email.error} onRetry={() => void email.refetch()} />
        )}
      </div>
    );
  }
  const e = email.data;
  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/emails">Emails</Link> <span aria-hidden="true">/</span> <span aria-current="page">{e.subject}</span>
      </nav>
      <header className="page__header">
        <h1>{e.subject || '(no subject)'}</h1>
      </header>
      <div className="grid-detail">
        <section className="panel" aria-labelledby="email-facts-heading">
          <h2 id="email-facts-heading">Details</h2>
          <dl className="facts">
            <div>
              <dt>Status</dt>
              <dd>
                <EmailStatusBadge status={e.status} />
              </dd>
            </div>
            <div>
              <dt>Client</dt>
              <dd>
                <Link to={`/clients/${encodeURIComponent(e.userId)}`}>{e.userId}</Link>
              </dd>
            </div>
            <div>
              <dt>Score when written</dt>
              <dd>{formatScore(e.engagementScoreAtTime)}</dd>
            </div>
            {e.targetingRule && (
              <div>
                <dt>Chosen by</dt>
                <dd>{ruleLabel(e.targetingRule)}</dd>
              </div>
            )}
            <div>
              <dt>Writer</dt>
              <dd>{e.writer ?? '—'}</dd>
            </div>
            <div>
              <dt>Written</dt>
              <dd>{formatDateTime(e.generatedAt)}</dd>
            </div>
            <div>
              <dt>Sent</dt>
              <dd>{e.sentAt ? formatDateTime(e.sentAt) : 'Not sent'}</dd>
            </div>
            {trackingEvents(e).map((ev) => (
              <div key={ev.kind}>
                <dt>{ev.label}</dt>
                <dd>
                  {ev.text}
                  {ev.unreliable && (
                    <>
                      {' '}
                      <span
                        className="tag tag--caution"
                        title="Mail privacy features such as Apple Mail Privacy Protection open emails automatically"
                      >
                        unreliable
                      </span>
                      <span className="small muted d-block">Mail privacy features open emails automatically.</span>
                    </>
                  )}
                </dd>
              </div>
            ))}
            {e.error && (
              <div>
                <dt>Error</dt>
                <dd className="text-alert">{e.error}</dd>
              </div>
            )}
          </dl>
        </section>
        <section className="panel" aria-labelledby="email-message-heading">
          <div className="panel__header">
            <h2 id="email-message-heading">Message</h2>
            {e.previewHtml && (
              <div className="segmented" role="group" aria-label="Message format">
                <button type="button" aria-pressed={view === 'html'} onClick={() => setView('html')}>
                  HTML
                </button>
                <button type="button" aria-pressed={view === 'text'} onClick={() => setView('text')}>
                  Plain text
                </button>
              </div>
            )}
          </div>
          {view === 'html' && e.previewHtml ? (
            <EmailPreview email={e} height={560} />
          ) : (
            <pre className="email-text">{plainText(e)}</pre>
          )}
        </section>
      </div>
    </div>
  );
}
