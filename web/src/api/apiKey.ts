// The API key the user typed, kept for the browser session only (sessionStorage): it
// survives reloads but not closing the tab. Storage failures (private mode, disabled
// storage) fall back to memory.

const STORAGE_KEY = 'rekindle.apiKey';
let memoryKey: string | null = null;

export function getApiKey(): string | null {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY) ?? memoryKey;
  } catch {
    return memoryKey;
  }
}

export function setApiKey(key: string): void {
  memoryKey = key;
  try {
    window.sessionStorage.setItem(STORAGE_KEY, key);
  } catch {
    // Memory only.
  }
}

export function clearApiKey(): void {
  memoryKey = null;
  try {
    window.sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing stored.
  }
}
