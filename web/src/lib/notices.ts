// A tiny store of transient notices (toasts) that any module can post to and one
// component shows. A notice with a `key` replaces an earlier one with the same key, so a
// repeating failure does not pile up; each goes away by itself after NOTICE_MS.

export interface Notice {
  id: number;
  key: string | undefined;
  message: string;
}

type Listener = () => void;

let notices: Notice[] = [];
let nextId = 1;
const listeners = new Set<Listener>();

function emit() {
  for (const l of listeners) l();
}

/** How long a notice stays up unless dismissed. */
export const NOTICE_MS = 6000;

export function notify(message: string, key?: string): number {
  const id = nextId++;
  notices = [...notices.filter((n) => key === undefined || n.key !== key), { id, key, message }].slice(-4);
  emit();
  setTimeout(() => dismiss(id), NOTICE_MS);
  return id;
}

export function dismiss(id: number): void {
  if (!notices.some((n) => n.id === id)) return;
  notices = notices.filter((n) => n.id !== id);
  emit();
}

export function getNotices(): Notice[] {
  return notices;
}

export function subscribeNotices(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
