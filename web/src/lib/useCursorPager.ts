import { useCallback, useState } from 'react';
import {
  cursorPagerReducer,
  FIRST_PAGE,
  pageNumber,
  type CursorPagerAction,
  type CursorPagerState,
} from './cursorPager';

/**
 * Cursor pagination that starts over whenever `resetKey` changes (new filters mean a new
 * list, so old cursors mean nothing).
 */
export function useCursorPager(resetKey: string) {
  const [stored, setStored] = useState<{ key: string; state: CursorPagerState }>({ key: resetKey, state: FIRST_PAGE });
  const state = stored.key === resetKey ? stored.state : FIRST_PAGE;
  const dispatch = useCallback(
    (action: CursorPagerAction) =>
      setStored((s) => ({
        key: resetKey,
        state: cursorPagerReducer(s.key === resetKey ? s.state : FIRST_PAGE, action),
      })),
    [resetKey],
  );
  return {
    cursor: state.cursor,
    page: pageNumber(state),
    hasPrevious: state.previous.length > 0,
    next: (cursor: string) => dispatch({ type: 'next', cursor }),
    previous: () => dispatch({ type: 'previous' }),
    reset: () => dispatch({ type: 'reset' }),
  };
}
