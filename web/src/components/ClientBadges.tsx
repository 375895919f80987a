import type { SendingState } from '../api/sending/types';
import type { User } from '../api/users/types';
import { clientBadges } from '../lib/clientBadges';

/**
 * A client's state badges (unsubscribed, bounced, failed, held out, in a journey,
 * paused). `explain` also writes each badge's explanation out (the client page); the
 * lists keep it in the tooltip.
 */
export function ClientBadges({
  user,
  sending,
  explain = false,
}: {
  user: User;
  sending?: SendingState | null;
  explain?: boolean;
}) {
  // Paused applies to everyone: the lists leave it to the header's switch.
  const badges = clientBadges(user, explain ? sending : null);
  if (badges.length === 0) return null;
  if (explain)
    return (
      <ul className="client-badges client-badges--explained" aria-label="Client state">
        {badges.map((b) => (
          <li key={b.key}>
            <span className={`badge badge--${b.tone}`}>{b.label}</span> <span className="muted">{b.detail}</span>
          </li>
        ))}
      </ul>
    );
  return (
    <span className="client-badges">
      {badges.map((b) => (
        <span key={b.key} className={`badge badge--${b.tone}`} title={b.detail}>
          {b.label}
        </span>
      ))}
    </span>
  );
}
