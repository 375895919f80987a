// What happened after an email was sent: opened, clicked, converted (with revenue), in
// that order, for the events the server recorded. Pure.

import type { Email } from '../api/emails/types';
import { formatDateTime, formatMoney } from './format';

export interface TrackingEvent {
  kind: 'opened' | 'clicked' | 'converted';
  label: string;
  at: string;
  /** "12 Mar 2026, 14:05", with the revenue for a conversion. */
  text: string;
  /** Opens are inflated by mail privacy features. */
  unreliable?: boolean;
}

export function trackingEvents(e: Email): TrackingEvent[] {
  const events: TrackingEvent[] = [];
  if (e.openedAt)
    events.push({
      kind: 'opened',
      label: 'Opened',
      at: e.openedAt,
      text: formatDateTime(e.openedAt),
      unreliable: true,
    });
  if (e.clickedAt)
    events.push({ kind: 'clicked', label: 'Clicked', at: e.clickedAt, text: formatDateTime(e.clickedAt) });
  if (e.convertedAt) {
    const revenue =
      typeof e.conversionRevenue === 'number' && Number.isFinite(e.conversionRevenue)
        ? ` (${formatMoney(e.conversionRevenue)})`
        : '';
    events.push({
      kind: 'converted',
      label: 'Converted',
      at: e.convertedAt,
      text: `${formatDateTime(e.convertedAt)}${revenue}`,
    });
  }
  return events;
}

/** A short line for lists: "opened (unreliable) 12 Mar 2026, 14:05 · converted 14 Mar 2026, 09:00 (59.90)". */
export function trackingSummary(e: Email): string {
  return trackingEvents(e)
    .map((ev) => `${ev.label.toLowerCase()}${ev.unreliable ? ' (unreliable)' : ''} ${ev.text}`)
    .join(' · ');
}
