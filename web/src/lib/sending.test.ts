import { describe, expect, it } from 'vitest';
import { aSendingState } from '../test/controls';
import { sendingDetail, sendingHeadline, sendingVolume } from './sending';

describe('sending', () => {
  it('says whether Rekindle is sending, and why not', () => {
    expect(sendingHeadline(aSendingState())).toBe('Sending');
    expect(sendingHeadline(aSendingState({ paused: true, reason: 'setup' }))).toBe('Paused for setup');
    expect(sendingHeadline(aSendingState({ paused: true, reason: 'manual', by: 'ops' }))).toBe('Paused by ops');
    expect(sendingHeadline(aSendingState({ paused: true, reason: 'manual', by: null }))).toBe('Paused');
  });

  it('counts sends against the caps that are set', () => {
    expect(sendingVolume(aSendingState({ sentToday: 1200, dailyCap: 5000 }))).toBe(
      '1,200 today of 5,000 · 3 this hour of 50',
    );
    expect(sendingVolume(aSendingState({ dailyCap: null, hourlyRate: null }))).toBe('12 today · 3 this hour');
  });

  it('explains that a pause loses nothing', () => {
    expect(sendingDetail(aSendingState({ paused: true, reason: 'manual', by: 'ops' }))).toMatch(
      /^Paused by ops\. Due emails wait and go out in order after resume\.$/,
    );
  });
});
