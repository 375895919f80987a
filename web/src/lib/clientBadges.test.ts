import { describe, expect, it } from 'vitest';
import type { SendingState } from '../api/sending/types';
import { aUser } from '../test/fixtures';
import { clientBadges, HOLDOUT_PURPOSE } from './clientBadges';

const state = { suppressed: null, heldOut: false, failed: null, neverOrdered: false };
const paused: SendingState = {
  paused: true,
  reason: 'manual',
  since: '2026-02-01T09:00:00Z',
  by: 'ops',
  sentToday: 0,
  sentThisHour: 0,
  dailyCap: null,
  hourlyRate: null,
  quietHours: null,
};

describe('clientBadges', () => {
  it('shows nothing for a client with nothing to tell, or from an older server', () => {
    expect(clientBadges(aUser({ state }))).toEqual([]);
    expect(clientBadges(aUser())).toEqual([]);
  });

  it('names each suppression reason with its date', () => {
    for (const [reason, label] of [
      ['unsubscribed', 'Unsubscribed'],
      ['bounced', 'Bounced'],
      ['complained', 'Complained'],
      ['manual', 'Suppressed'],
    ] as const) {
      const [b] = clientBadges(aUser({ state: { ...state, suppressed: { reason, at: '2026-01-05T10:00:00Z' } } }));
      expect(b?.label).toBe(label);
      expect(b?.detail).toContain('5 Jan 2026');
      expect(b?.tone).toBe('stop');
    }
  });

  it('says what the holdout is for, and shows the server reply of a failure', () => {
    const badges = clientBadges(
      aUser({ state: { ...state, heldOut: true, failed: { error: '550 no such user', at: '2026-02-01T09:00:00Z' } } }),
    );
    expect(badges.map((b) => b.label)).toEqual(['Failed', 'Held out']);
    expect(badges[0]?.detail).toContain('550 no such user');
    expect(badges[1]?.detail).toContain(HOLDOUT_PURPOSE);
  });

  it('shows the journey step, when the next email is due, and a pause', () => {
    const user = aUser({
      state,
      journey: {
        episodeId: 'ep-1',
        status: 'active',
        step: 1,
        steps: 3,
        nextDueAt: '2026-02-11T09:00:00Z',
        startedAt: '2026-02-01T09:00:00Z',
        endedAt: null,
        endReason: null,
        restUntil: null,
      },
    });
    const badges = clientBadges(user, paused);
    expect(badges.map((b) => b.label)).toEqual(['Step 1 of 3', 'Paused']);
    expect(badges[0]?.detail).toContain('next email due 11 Feb 2026');
    expect(clientBadges(user, { ...paused, paused: false }).map((b) => b.label)).toEqual(['Step 1 of 3']);
  });
});
