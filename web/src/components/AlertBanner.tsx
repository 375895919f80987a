import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { alertsQuery } from '../api/alerts/queries';
import { summarizeAlerts } from '../lib/alerts';
import { formatDateTime } from '../lib/format';

/**
 * The overview's banner when sending fails: how many emails failed in the server's
 * window and how many events are dead-lettered, the last error and when, with links to
 * what it concerns. Silent while all is well, and when the server has no alerts to give
 * (an older server, or a failed request: the rest of the page reports those).
 */
export function AlertBanner() {
  const alerts = useQuery(alertsQuery());
  if (!alerts.data) return null;
  const summary = summarizeAlerts(alerts.data);
  if (!summary) return null;
  const { lastError, at } = alerts.data;
  return (
    <section className="alert-banner" role="alert" aria-labelledby="alert-banner-title">
      <p id="alert-banner-title" className="alert-banner__title">
        Sending is failing: {summary.title}
      </p>
      {lastError !== null && (
        <p className="alert-banner__error">
          Last error{at ? ` (${formatDateTime(at)})` : ''}: <code>{lastError}</code>
        </p>
      )}
      <ul className="alert-banner__links">
        {summary.links.map((l) => (
          <li key={l.to}>{l.to.startsWith('#') ? <a href={l.to}>{l.label}</a> : <Link to={l.to}>{l.label}</Link>}</li>
        ))}
      </ul>
    </section>
  );
}
