import { describe, expect, it } from 'vitest';
import type { Alerts } from '../api/alerts/types';
import { summarizeAlerts } from './alerts';

function alerts(over: Partial<Alerts> = {}): Alerts {
  return {
    status: 'ok',
    reasons: [],
    windowMinutes: 60,
    failedDeliveries: 0,
    deadLetters: 0,
    deadLetterQueues: [],
    lastError: null,
    at: null,
    emailId: null,
    userId: null,
    queue: null,
    checkedAt: '2026-12-01T02:00:00Z',
    ...over,
  };
}

describe('The alert summary', () => {
  it('says nothing when sending works', () => {
    expect(summarizeAlerts(alerts())).toBeNull();
  });

  it('counts failed emails over the window and links to them', () => {
    const s = summarizeAlerts(
      alerts({ status: 'degraded', failedDeliveries: 12, lastError: '550 no', emailId: 'em-1 x' }),
    );
    expect(s?.title).toBe('12 emails failed to send in the last hour.');
    expect(s?.links).toEqual([
      { label: 'Failed emails', to: '/emails?status=FAILED' },
      { label: 'The last failed email', to: '/emails/em-1%20x' },
    ]);
  });

  it('names dead letters and points at the queues', () => {
    const s = summarizeAlerts(
      alerts({ status: 'degraded', deadLetters: 1, windowMinutes: 1440, queue: 'email-processor' }),
    );
    expect(s?.title).toBe('1 event waits in the dead-letter queue.');
    expect(s?.links).toEqual([{ label: 'Queue health', to: '#queues-heading' }]);
  });

  it('joins both, with the window as the server counts it', () => {
    const s = summarizeAlerts(alerts({ status: 'degraded', failedDeliveries: 1, deadLetters: 3, windowMinutes: 90 }));
    expect(s?.title).toBe('1 email failed to send in the last 90 minutes; 3 events wait in the dead-letter queue.');
  });
});
