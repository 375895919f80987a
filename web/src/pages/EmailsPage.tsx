import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { emailListQuery } from '../api/emails/queries';
import { EMAIL_STATUSES, type EmailStatus } from '../api/emails/types';
import { EmailStatusBadge } from '../components/EmailStatusBadge';
import { Pager } from '../components/Pager';
import { Empty, ErrorState, Loading } from '../components/StatusViews';
import { formatDateTime, formatScore } from '../lib/format';
import { useCursorPager } from '../lib/useCursorPager';
import { usePageTitle } from '../lib/usePageTitle';

export const EMAILS_PAGE_SIZE = 25;

function parseStatus(v: string | null): EmailStatus | '' {
  return (EMAIL_STATUSES as readonly string[]).includes(v ?? '') ? (v as EmailStatus) : '';
}

export function EmailsPage() {
  usePageTitle('Emails');
  const [params, setParams] = useSearchParams();
  const status = parseStatus(params.get('status'));
  const pager = useCursorPager(status);
  const list = useQuery(emailListQuery({ limit: EMAILS_PAGE_SIZE, cursor: pager.cursor, status }));

  return (
    <div className="page">
      <header className="page__header">
        <h1>Emails</h1>
        <p className="page__lead">Every re-engagement email Rekindle wrote, newest first. The list updates live.</p>
      </header>

      <form className="toolbar" aria-label="Filter emails" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="emails-status">Status</label>
          <select
            id="emails-status"
            value={status}
            onChange={(e) => setParams(e.target.value ? { status: e.target.value } : {})}
          >
            <option value="">All</option>
            {EMAIL_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.charAt(0) + s.slice(1).toLowerCase()}
              </option>
            ))}
          </select>
        </div>
      </form>

      {list.isPending ? (
        <Loading label="Loading emails…" />
      ) : list.isError ? (
        <ErrorState title="Could not load emails" error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <Empty>
          {status
            ? `No ${status.toLowerCase()} emails.`
            : 'No emails yet. They appear here as soon as Rekindle writes them.'}
        </Empty>
      ) : (
        <>
          <div className="table-wrap" role="region" aria-label="Emails" tabIndex={0}>
            <table className="table" aria-busy={list.isPlaceholderData || undefined}>
              <thead>
                <tr>
                  <th scope="col">Subject</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="hide-sm">
                    Writer
                  </th>
                  <th scope="col" className="num hide-sm">
                    Score then
                  </th>
                  <th scope="col">Date</th>
                  <th scope="col" className="hide-sm">
                    Client
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((e) => (
                  <tr key={e.emailId}>
                    <td>
                      <Link to={`/emails/${encodeURIComponent(e.emailId)}`}>{e.subject || '(no subject)'}</Link>
                    </td>
                    <td>
                      <EmailStatusBadge status={e.status} />
                    </td>
                    <td className="hide-sm">{e.writer ?? '—'}</td>
                    <td className="num hide-sm">{formatScore(e.engagementScoreAtTime)}</td>
                    <td>{formatDateTime(e.generatedAt || e.createdAt)}</td>
                    <td className="hide-sm">
                      <Link to={`/clients/${encodeURIComponent(e.userId)}`}>{e.userId}</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            label="Email pages"
            page={pager.page}
            hasPrevious={pager.hasPrevious}
            hasNext={list.data.nextCursor !== null}
            busy={list.isPlaceholderData}
            onPrevious={pager.previous}
            onNext={() => list.data.nextCursor && pager.next(list.data.nextCursor)}
          />
        </>
      )}
    </div>
  );
}
