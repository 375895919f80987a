import { Link } from 'react-router';
import type { TimelineItem } from '../api/users/types';
import { formatDateTime } from '../lib/format';
import { describeTimelineItem } from '../lib/timeline';

/** A client's history, newest first: orders, emails and their events, score points. */
export function Timeline({ items }: { items: TimelineItem[] }) {
  return (
    <ol className="timeline" aria-label="Timeline">
      {items.map((item, i) => {
        const emailId = item.type === 'email' || item.type === 'event' ? item.emailId : undefined;
        return (
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
          </li>
        );
      })}
    </ol>
  );
}
