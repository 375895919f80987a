import { describe, expect, it } from 'vitest';
import { anEmail } from '../test/fixtures';
import { trackingEvents, trackingSummary } from './emailTracking';

// Tests run with TZ=UTC (vite.config.ts).
describe('tracking events of an email', () => {
  it('lists opened, clicked and converted with the conversion’s revenue, and marks the open unreliable', () => {
    const e = anEmail({
      status: 'CLICKED',
      openedAt: '2026-02-01T10:00:00Z',
      clickedAt: '2026-02-01T10:02:00Z',
      convertedAt: '2026-02-03T18:30:00Z',
      conversionRevenue: 59.9,
    });
    expect(trackingEvents(e).map((ev) => [ev.label, ev.text, ev.unreliable ?? false])).toEqual([
      ['Opened', '1 Feb 2026, 10:00', true],
      ['Clicked', '1 Feb 2026, 10:02', false],
      ['Converted', '3 Feb 2026, 18:30 (59.90)', false],
    ]);
    expect(trackingSummary(e)).toBe(
      'opened (unreliable) 1 Feb 2026, 10:00 · clicked 1 Feb 2026, 10:02 · converted 3 Feb 2026, 18:30 (59.90)',
    );
  });

  it('has nothing for an email without events, or from a server that does not track', () => {
    expect(
      trackingEvents(anEmail({ openedAt: null, clickedAt: null, convertedAt: null, conversionRevenue: null })),
    ).toEqual([]);
    expect(trackingSummary(anEmail())).toBe('');
  });

  it('leaves out a revenue the server did not give', () => {
    expect(trackingEvents(anEmail({ convertedAt: '2026-02-03T18:30:00Z' }))[0]?.text).toBe('3 Feb 2026, 18:30');
  });
});
