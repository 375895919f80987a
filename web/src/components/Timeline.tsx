import { Link } from 'react-router';
import type { TimelineItem } from '../api/users/types';
import { formatDate, formatDateTime } from '../lib/format';
import { describeTimelineItem, predictedOrderIndex } from '../lib/timeline';

/**
 * A client's history, newest first: orders, emails and their events, score points. With
 * `expectedNextOrderAt` (the churn model's prediction, issue 11) a dashed marker stands at
 * its date (at the top while it is still to come): the order the model expects next, set
 * apart as a forecast, not an event.
 */
export function Timeline({
  items,
  expectedNextOrderAt,
  now = new Date(),
}: {
  items: TimelineItem[];
  expectedNextOrderAt?: string | null;
  now?: Date;
}) {
  const at = expectedNextOrderAt ? predictedOrderIndex(items, expectedNextOrderAt) : -1;
  const predicted = expectedNextOrderAt ? (
    <li key="predicted" className="timeline__item timeline__item--predicted" data-testid="expected-next-order">
      <time dateTime={expectedNextOrderAt} className="muted small">
        {formatDate(expectedNextOrderAt)}
      </time>
      <span className="timeline__what">
        {new Date(expectedNextOrderAt).getTime() >= now.getTime()
          ? 'Expected next order (predicted)'
          : 'Next order was expected here (predicted)'}
      </span>
    </li>
  ) : null;
  return (
    <ol className="timeline" aria-label="Timeline">
      {items.map((item, i) => {
        const emailId = item.type === 'email' || item.type === 'event' ? item.emailId : undefined;
        return [
          i === at ? predicted : null,
          <li key={`${item.type}-${item.at}-${i}`} className={`timeline__item timeline__item--${item.type}`}>
            <time dateTime={item.at} className="muted small">
              {formatDateTime(item.at)}
            </time>
            <span>
              {describeTimelineItem(item)}
              {emailId && item.type === 'email' && (
                <>
                  {' '}
                  <Link to={`/emails/${encodeURIComponent(emailId)}`}>View</Link>
                </>
              )}
            </span>
          </li>,
        ];
      })}
      {at === items.length && predicted}
    </ol>
  );
}
