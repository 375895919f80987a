// What the overview's banner says when sending fails. Pure.
import type { Alerts } from '../api/alerts/types';

export interface AlertSummary {
  /** The headline: what failed and how much. */
  title: string;
  /** Links to what it concerns, in the order shown. */
  links: { label: string; to: string }[];
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

function windowText(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? 'the last day' : `the last ${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? 'the last hour' : `the last ${minutes / 60} hours`;
  return `the last ${minutes} minutes`;
}

/** Null when there is nothing to say (status ok, or no figure above zero). */
export function summarizeAlerts(a: Alerts): AlertSummary | null {
  if (a.status !== 'degraded' || (a.failedDeliveries <= 0 && a.deadLetters <= 0)) return null;
  const parts: string[] = [];
  if (a.failedDeliveries > 0)
    parts.push(`${plural(a.failedDeliveries, 'email', 'emails')} failed to send in ${windowText(a.windowMinutes)}`);
  if (a.deadLetters > 0) parts.push(`${plural(a.deadLetters, 'event waits', 'events wait')} in the dead-letter queue`);
  const links: AlertSummary['links'] = [];
  if (a.failedDeliveries > 0) links.push({ label: 'Failed emails', to: '/emails?status=FAILED' });
  if (a.emailId) links.push({ label: 'The last failed email', to: `/emails/${encodeURIComponent(a.emailId)}` });
  if (a.deadLetters > 0) links.push({ label: 'Queue health', to: '#queues-heading' });
  return { title: parts.join('; ') + '.', links };
}
