// Forward-only API cursors turned into Next / Previous: the pager remembers the cursor
// of every page it went through. Pure state + reducer, so it is tested directly.

export interface CursorPagerState {
  /** Cursors of the pages before the current one; the first page's cursor is null. */
  previous: (string | null)[];
  /** The current page's cursor; null for the first page. */
  cursor: string | null;
}

export type CursorPagerAction = { type: 'next'; cursor: string } | { type: 'previous' } | { type: 'reset' };

export const FIRST_PAGE: CursorPagerState = { previous: [], cursor: null };

export function cursorPagerReducer(state: CursorPagerState, action: CursorPagerAction): CursorPagerState {
  switch (action.type) {
    case 'next':
      return { previous: [...state.previous, state.cursor], cursor: action.cursor };
    case 'previous': {
      if (state.previous.length === 0) return state;
      return { previous: state.previous.slice(0, -1), cursor: state.previous[state.previous.length - 1] ?? null };
    }
    case 'reset':
      return FIRST_PAGE;
  }
}

/** 1-based number of the current page. */
export function pageNumber(state: CursorPagerState): number {
  return state.previous.length + 1;
}
