import { describe, expect, it } from 'vitest';
import { emailLocationToParams, parseEmailLocation } from './emailListParams';

describe('the Emails page URL', () => {
  it('round-trips every filter and the page', () => {
    const l = {
      status: 'FAILED' as const,
      step: 2,
      from: '2026-11-01',
      to: '2026-11-30',
      q: 'ada',
      cursor: 'c-2',
      page: 3,
    };
    expect(parseEmailLocation(emailLocationToParams(l))).toEqual(l);
  });

  it('falls back to the defaults on anything unknown', () => {
    expect(parseEmailLocation(new URLSearchParams('status=sent&step=0&from=yesterday&to=2026-02-30x&page=2'))).toEqual({
      status: '',
      step: null,
      from: '',
      to: '',
      q: '',
      cursor: null,
      page: 1,
    });
    expect(parseEmailLocation(new URLSearchParams('step=1.5')).step).toBeNull();
    expect(parseEmailLocation(new URLSearchParams('cursor=c&page=1')).cursor).toBeNull();
  });
});
