import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';
import { clearApiKey } from '../api/apiKey';

// The machine running tests may be busy (compiling on all cores): give async queries room.
configure({ asyncUtilTimeout: 4000 });

afterEach(() => {
  cleanup();
  clearApiKey();
  window.sessionStorage.clear();
});

// Recharts' ResponsiveContainer observes its size; jsdom has no ResizeObserver.
class NoopResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
if (!('ResizeObserver' in globalThis)) {
  (globalThis as unknown as { ResizeObserver: typeof NoopResizeObserver }).ResizeObserver = NoopResizeObserver;
}

// jsdom does not scroll.
window.scrollTo = () => {};
