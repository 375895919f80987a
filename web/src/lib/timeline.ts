// The words of a client's timeline (GET /api/users/:userId/timeline): one line per item.

import type { TimelineItem } from '../api/users/types';
import { formatMoney, formatScore } from './format';

const EVENT_WORDS: Record<string, string> = {
  sent: 'Email sent',
  opened: 'Email opened (unreliable: mail privacy features open it too)',
  clicked: 'Link clicked',
  converted: 'Converted: an order followed the email',
  failed: 'Sending failed',
  bounced: 'Bounced: the address is suppressed',
  unsubscribed: 'Unsubscribed',
  complained: 'Marked the email as spam: the address is suppressed',
  suppressed: 'Added to the suppression list by hand',
};

const SCORE_CAUSES: Record<string, string> = {
  email: 'when an email was written',
  holdout: 'when held out',
  now: 'now',
};

export function describeTimelineItem(item: TimelineItem): string {
  switch (item.type) {
    case 'order':
      return `Order of ${formatMoney(item.totalValue)} (${item.itemCount} item${item.itemCount === 1 ? '' : 's'})`;
    case 'email':
      return `Email written${item.step ? ` (journey step ${item.step})` : ''}: “${item.subject || '(no subject)'}”`;
    case 'event': {
      const words = EVENT_WORDS[item.event] ?? item.event;
      if (item.event === 'converted' && item.revenue != null) return `${words} (${formatMoney(item.revenue)})`;
      if (item.event === 'failed' && item.error) return `${words}. The mail server said: ${item.error}`;
      if (item.event === 'clicked' && item.url) return `${words}: ${item.url}`;
      return words;
    }
    case 'score': {
      const change =
        item.change == null || Math.abs(item.change) < 0.05
          ? ''
          : ` (${item.change > 0 ? '+' : '−'}${formatScore(Math.abs(item.change))})`;
      return `Score ${formatScore(item.score)}${change} ${SCORE_CAUSES[item.cause] ?? item.cause}`;
    }
  }
}

/**
 * Where the predicted next order goes in a newest-first timeline: before the first item
 * older than it (at the top when it is still to come, among the past when it is overdue).
 */
export function predictedOrderIndex(items: readonly TimelineItem[], expectedAt: string): number {
  const t = new Date(expectedAt).getTime();
  const i = items.findIndex((item) => new Date(item.at).getTime() < t);
  return i < 0 ? items.length : i;
}
