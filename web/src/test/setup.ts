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

// jsdom's Blob has no arrayBuffer() (every browser the dashboard supports has): read it through FileReader.
if (!('arrayBuffer' in Blob.prototype)) {
  Object.defineProperty(Blob.prototype, 'arrayBuffer', {
    value(this: Blob): Promise<ArrayBuffer> {
      return new Promise((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(reader.result as ArrayBuffer);
        reader.onerror = () => reject(reader.error ?? new Error('could not read the blob'));
        reader.readAsArrayBuffer(this);
      });
    },
  });
}
