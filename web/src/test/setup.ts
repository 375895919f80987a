import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { clearApiKey } from '../api/apiKey';

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
