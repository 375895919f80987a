// A fake Rekindle API for component tests: routes like "GET /api/users/:userId" answer
// with envelopes, and every call is recorded so a test can say what was asked.

import { vi } from 'vitest';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  body: unknown;
  headers: Record<string, string>;
}

export interface FakeResponse {
  status: number;
  body: unknown;
  /** Extra response headers, e.g. Retry-After. */
  headers?: Record<string, string>;
}

export type Handler = (req: FakeRequest) => FakeResponse | Promise<FakeResponse>;

export function ok(data: unknown, status = 200): FakeResponse {
  return { status, body: { success: true, data, timestamp: '2026-01-01T00:00:00Z' } };
}

export function list(items: unknown[], nextCursor: string | null = null): FakeResponse {
  return { status: 200, body: { success: true, data: items, nextCursor, timestamp: '2026-01-01T00:00:00Z' } };
}

export function fail(status: number, code: string, error: string, field?: string): FakeResponse {
  return {
    status,
    body: { success: false, error, code, ...(field ? { field } : {}), timestamp: '2026-01-01T00:00:00Z' },
  };
}

function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const a = path.split('/');
  if (p.length !== a.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const seg = p[i] ?? '';
    if (seg.startsWith(':')) params[seg.slice(1)] = decodeURIComponent(a[i] ?? '');
    else if (seg !== a[i]) return null;
  }
  return params;
}

/** Installs the fake as `fetch`. Unknown routes answer 404 like the real server. */
export function fakeApi(routes: Record<string, Handler>) {
  const calls: FakeRequest[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(href, 'http://rekindle.test');
    const method = (init?.method ?? 'GET').toUpperCase();
    const headers = { ...(init?.headers as Record<string, string> | undefined) };
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    let res: FakeResponse = fail(404, 'not_found', `no route for ${method} ${url.pathname}`);
    for (const [key, handler] of Object.entries(routes)) {
      const [m, pattern] = key.split(' ');
      if (m !== method || !pattern) continue;
      const params = match(pattern, url.pathname);
      if (!params) continue;
      const req = { method, path: url.pathname, query: url.searchParams, params, body, headers };
      calls.push(req);
      res = await handler(req);
      break;
    }
    return new Response(JSON.stringify(res.body), {
      status: res.status,
      headers: { 'Content-Type': 'application/json', ...res.headers },
    });
  });
  vi.stubGlobal('fetch', fetchMock);
  return {
    calls,
    /** The calls made to a method and path, e.g. callsTo('GET', '/api/users'). */
    callsTo: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path),
  };
}
