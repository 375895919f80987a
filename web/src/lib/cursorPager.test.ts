import { describe, expect, it } from 'vitest';
import { cursorPagerReducer, FIRST_PAGE, pageNumber } from './cursorPager';

describe('cursorPagerReducer', () => {
  it('goes forward with the cursor the API gave and back to where it was', () => {
    let s = FIRST_PAGE;
    s = cursorPagerReducer(s, { type: 'next', cursor: 'c2' });
    s = cursorPagerReducer(s, { type: 'next', cursor: 'c3' });
    expect(s.cursor).toBe('c3');
    expect(pageNumber(s)).toBe(3);
    s = cursorPagerReducer(s, { type: 'previous' });
    expect(s.cursor).toBe('c2');
    s = cursorPagerReducer(s, { type: 'previous' });
    expect(s).toEqual(FIRST_PAGE);
    expect(pageNumber(s)).toBe(1);
  });

  it('stays on the first page when asked to go before it', () => {
    expect(cursorPagerReducer(FIRST_PAGE, { type: 'previous' })).toBe(FIRST_PAGE);
  });

  it('starts over on reset', () => {
    const s = cursorPagerReducer(FIRST_PAGE, { type: 'next', cursor: 'c2' });
    expect(cursorPagerReducer(s, { type: 'reset' })).toEqual(FIRST_PAGE);
  });
});
