import { afterEach, describe, expect, it, vi } from 'vitest';
import { dismiss, getNotices, NOTICE_MS, notify } from './notices';

afterEach(() => {
  for (const n of getNotices()) dismiss(n.id);
  vi.useRealTimers();
});

describe('notices', () => {
  it('keep the latest few and replace one with the same key', () => {
    notify('a', 'refresh');
    notify('b');
    notify('c', 'refresh');
    expect(getNotices().map((n) => n.message)).toEqual(['b', 'c']);
  });

  it('go away by themselves', () => {
    vi.useFakeTimers();
    notify('saved');
    expect(getNotices()).toHaveLength(1);
    vi.advanceTimersByTime(NOTICE_MS);
    expect(getNotices()).toHaveLength(0);
  });
});
