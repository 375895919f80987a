// The API key the user typed, kept for the browser session only (sessionStorage): it
// survives reloads but not closing the tab. Where storage is unavailable (disabled,
// sandboxed) it lives in memory for the page's lifetime instead.

const STORAGE_KEY = 'rekindle.apiKey';
let memoryKey: string | null = null;

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

export function getApiKey(): string | null {
  const s = storage();
  if (!s) return memoryKey;
  try {
    return s.getItem(STORAGE_KEY) ?? memoryKey;
  } catch {
    return memoryKey;
  }
}

export function setApiKey(key: string): void {
  memoryKey = key;
  try {
    storage()?.setItem(STORAGE_KEY, key);
  } catch {
    // Memory only.
  }
}

export function clearApiKey(): void {
  memoryKey = null;
  try {
    storage()?.removeItem(STORAGE_KEY);
  } catch {
    // Nothing stored.
  }
}
