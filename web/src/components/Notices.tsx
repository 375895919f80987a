import { useSyncExternalStore } from 'react';
import { dismiss, getNotices, subscribeNotices } from '../lib/notices';

/** Shows the transient notices posted with `notify`, in a polite live region. */
export function Notices() {
  const notices = useSyncExternalStore(subscribeNotices, getNotices, getNotices);
  return (
    <div className="notices" aria-live="polite" aria-relevant="additions">
      {notices.map((n) => (
        <div key={n.id} className="notice">
          <span>{n.message}</span>
          <button type="button" className="notice__close" onClick={() => dismiss(n.id)} aria-label="Dismiss notice">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
