import { useQuery } from '@tanstack/react-query';
import { useEffect, useEffectEvent, useId, useState } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { emailFilterQuery, emailListQuery } from '../api/emails/queries';
import { EMAIL_STATUSES, type EmailStatus } from '../api/emails/types';
import { DownloadCsvButton } from '../components/DownloadCsvButton';
import { EmailStatusBadge } from '../components/EmailStatusBadge';
import { Pager } from '../components/Pager';
import { Empty, ErrorState, Loading } from '../components/StatusViews';
import {
  emailFiltersToParams,
  emailLocationToParams,
  hasEmailFilters,
  parseEmailLocation,
  type EmailFilters,
} from '../lib/emailListParams';
import { formatCount, formatDateTime, formatScore } from '../lib/format';
import { useDebouncedValue } from '../lib/useDebouncedValue';
import { usePageTitle } from '../lib/usePageTitle';

export const EMAILS_PAGE_SIZE = 25;

export function EmailsPage() {
  usePageTitle('Emails');
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const view = parseEmailLocation(params);
  const ids = { q: useId(), from: useId(), to: useId(), step: useId() };

  // The text box updates the URL once typing pauses (as the Clients page's search).
  const [text, setText] = useState(view.q);
  const debouncedText = useDebouncedValue(text, 300);
  const pushText = useEffectEvent((t: string) => {
    if (t.trim() !== view.q) update({ q: t });
  });
  useEffect(() => pushText(debouncedText), [debouncedText]);
  const [urlText, setUrlText] = useState(view.q);
  if (view.q !== urlText) {
    setUrlText(view.q);
    if (view.q !== debouncedText.trim()) setText(view.q);
  }

  /** A new filter starts over at the first page. */
  function update(change: Partial<EmailFilters>) {
    setParams(emailFiltersToParams({ ...view, ...change }), { replace: 'q' in change });
  }

  const list = useQuery(
    emailListQuery({
      limit: EMAILS_PAGE_SIZE,
      cursor: view.cursor,
      status: view.status,
      step: view.step,
      from: view.from,
      to: view.to,
      q: view.q,
    }),
  );

  // Each page is a URL (cursor and number): Next adds a history entry, Previous goes
  // back to it, and a page opened from a link goes back to the first page.
  const cameByNext = (location.state as { emailsPager?: boolean } | null)?.emailsPager === true;
  function next(cursor: string) {
    void navigate(`?${emailLocationToParams({ ...view, cursor, page: view.page + 1 }).toString()}`, {
      state: { emailsPager: true },
    });
  }
  function previous() {
    if (cameByNext) void navigate(-1);
    else setParams(emailFiltersToParams(view));
  }

  const filtered = hasEmailFilters(view);
  const total = list.data?.total;

  return (
    <div className="page">
      <header className="page__header page__header--row">
        <div>
          <h1>Emails</h1>
          <p className="page__lead">Every re-engagement email Rekindle wrote, newest first. The list updates live.</p>
        </div>
        <DownloadCsvButton resource="emails" query={emailFilterQuery(view)} />
      </header>

      <form className="toolbar" role="search" aria-label="Filter emails" onSubmit={(e) => e.preventDefault()}>
        <div className="field field--grow">
          <label htmlFor={ids.q}>Search</label>
          <input
            id={ids.q}
            type="search"
            placeholder="Subject, client name or email"
            value={text}
            maxLength={200}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') update({ q: text });
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="emails-status">Status</label>
          <select
            id="emails-status"
            value={view.status}
            onChange={(e) => update({ status: e.target.value as EmailStatus | '' })}
          >
            <option value="">All</option>
            {EMAIL_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.charAt(0) + s.slice(1).toLowerCase()}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.step}>Step</label>
          <select
            id={ids.step}
            value={view.step ?? ''}
            onChange={(e) => update({ step: e.target.value ? Number(e.target.value) : null })}
          >
            <option value="">Any</option>
            {Array.from({ length: Math.max(10, view.step ?? 0) }, (_, i) => i + 1).map((n) => (
              <option key={n} value={n}>
                Step {n}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.from}>From</label>
          <input id={ids.from} type="date" value={view.from} onChange={(e) => update({ from: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={ids.to}>To</label>
          <input id={ids.to} type="date" value={view.to} onChange={(e) => update({ to: e.target.value })} />
        </div>
      </form>

      {total !== undefined && (
        <p className="muted" aria-live="polite" data-testid="emails-total">
          {formatCount(total)} {total === 1 ? 'email' : 'emails'}
          {filtered ? ' match these filters' : ''}
        </p>
      )}

      {list.isPending ? (
        <Loading label="Loading emails…" />
      ) : list.isError ? (
        <ErrorState title="Could not load emails" error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <Empty>
          {filtered
            ? 'No emails match these filters.'
            : 'No emails yet. They appear here as soon as Rekindle writes them.'}
        </Empty>
      ) : (
        <>
          <div className="table-wrap" role="region" aria-label="Emails" tabIndex={0}>
            <table className="table" aria-busy={list.isPlaceholderData || undefined}>
              <thead>
                <tr>
                  <th scope="col">Subject</th>
                  <th scope="col">Client</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num hide-sm">
                    Step
                  </th>
                  <th scope="col" className="num hide-sm">
                    Score then
                  </th>
                  <th scope="col">Date</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((e) => (
                  <tr key={e.emailId}>
                    <td>
                      <Link to={`/emails/${encodeURIComponent(e.emailId)}`}>{e.subject || '(no subject)'}</Link>
                    </td>
                    <td>
                      <Link to={`/clients/${encodeURIComponent(e.userId)}`}>{e.userName ?? e.userId}</Link>
                      {e.userEmail && <div className="muted small">{e.userEmail}</div>}
                    </td>
                    <td>
                      <EmailStatusBadge status={e.status} />
                      {e.status === 'FAILED' && e.error && <div className="muted small">{e.error}</div>}
                    </td>
                    <td className="num hide-sm">{e.step ?? '—'}</td>
                    <td className="num hide-sm">{formatScore(e.engagementScoreAtTime)}</td>
                    <td>{formatDateTime(e.generatedAt || e.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            label="Email pages"
            page={view.page}
            hasPrevious={view.page > 1}
            hasNext={list.data.nextCursor !== null}
            busy={list.isPlaceholderData}
            onPrevious={previous}
            onNext={() => list.data.nextCursor && next(list.data.nextCursor)}
          />
        </>
      )}
    </div>
  );
}
