// A client's badges (issue 16): why they are or are not emailed, in plain sight on the
// client page and in the lists. Pure, from the user's `state` and `journey` and the
// sending switch.

import type { SendingState } from '../api/sending/types';
import type { User } from '../api/users/types';
import { formatDate, formatDateTime } from './format';

export type BadgeTone = 'stop' | 'warn' | 'info' | 'muted';

export interface ClientBadge {
  key: string;
  label: string;
  /** The longer explanation (a tooltip, and the client page's description). */
  detail: string;
  tone: BadgeTone;
}

const SUPPRESSION_LABELS: Record<string, string> = {
  unsubscribed: 'Unsubscribed',
  bounced: 'Bounced',
  complained: 'Complained',
  manual: 'Suppressed',
};

export const HOLDOUT_PURPOSE =
  'In the holdout: a share of clients Rekindle never emails, so the Effectiveness page can measure what the emails add.';

export function clientBadges(user: User, sending?: SendingState | null): ClientBadge[] {
  const out: ClientBadge[] = [];
  const state = user.state;
  if (state?.suppressed) {
    const { reason, at } = state.suppressed;
    out.push({
      key: 'suppressed',
      label: SUPPRESSION_LABELS[reason] ?? 'Suppressed',
      detail: `On the suppression list (${reason}) since ${formatDate(at)}: never emailed.`,
      tone: 'stop',
    });
  }
  if (state?.failed) {
    out.push({
      key: 'failed',
      label: 'Failed',
      detail: `The last email failed on ${formatDateTime(state.failed.at)}. The mail server said: ${state.failed.error || '(no reply)'}`,
      tone: 'stop',
    });
  }
  if (state?.heldOut) {
    out.push({
      key: 'heldOut',
      label: 'Held out',
      detail: HOLDOUT_PURPOSE + (state.heldOutAt ? ` Last held out ${formatDate(state.heldOutAt)}.` : ''),
      tone: 'muted',
    });
  }
  const j = user.journey;
  if (j && j.status === 'active' && !j.endedAt) {
    const next = j.nextDueAt ? `next email due ${formatDateTime(j.nextDueAt)}` : 'no further email due';
    out.push({
      key: 'episode',
      label: `Step ${j.step} of ${j.steps}`,
      detail: `In a win-back journey since ${formatDate(j.startedAt)}: ${j.step} of ${j.steps} emails sent, ${next}.`,
      tone: 'info',
    });
  } else if (j && j.status === 'resting' && j.restUntil) {
    out.push({
      key: 'resting',
      label: 'Resting',
      detail: `A journey ended${j.endReason ? ` (${j.endReason})` : ''}; not emailed again before ${formatDate(j.restUntil)}.`,
      tone: 'muted',
    });
  }
  const paused = pausedBadge(sending);
  if (paused) out.push(paused);
  return out;
}

/** "Paused": it applies to every client (the lists say it once, above the rows). */
export function pausedBadge(sending?: SendingState | null): ClientBadge | null {
  if (!sending?.paused) return null;
  return {
    key: 'paused',
    label: 'Paused',
    detail:
      sending.reason === 'setup'
        ? 'Sending has not started: the shop settings are not complete.'
        : `Sending is paused${sending.since ? ` since ${formatDateTime(sending.since)}` : ''}: nothing goes out until it is resumed.`,
    tone: 'warn',
  };
}
