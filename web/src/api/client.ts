// The one HTTP client of the dashboard.
//
// Every Rekindle response is an envelope: `{success: true, data, timestamp}` (lists add
// `nextCursor`) or `{success: false, error, code, field?, timestamp}`. This module
// unwraps the first and turns the second (and any network or parse failure) into an
// ApiError, so the rest of the app sees plain data or one typed error.
//
// When the server demands an API key (HTTP 401), the client asks for one through the
// handler registered with `setApiKeyPrompt` (the key dialog), keeps it for the browser
// session and retries the request.

import { clearApiKey, getApiKey, setApiKey } from './apiKey';

export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number;
  /** The API's stable snake_case code, e.g. `invalid_argument`, `already_exists`. */
  readonly code: string;
  /** The request field the error is about (e.g. `email`), when the server names one. */
  readonly field: string | undefined;

  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  /** How many items the whole list holds, when the endpoint says (emails, suppressions). */
  total?: number;
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
}

/**
 * Asks the person at the keyboard for an API key. Resolves to the key, or to null when
 * they decline. `rejected` is true when a key was sent and the server refused it.
 */
export type ApiKeyPrompt = (rejected: boolean) => Promise<string | null>;

let apiKeyPrompt: ApiKeyPrompt | null = null;
let pendingPrompt: Promise<string | null> | null = null;

/** Registers the UI that asks for an API key; returns a function that unregisters it. */
export function setApiKeyPrompt(prompt: ApiKeyPrompt | null): () => void {
  apiKeyPrompt = prompt;
  return () => {
    if (apiKeyPrompt === prompt) apiKeyPrompt = null;
  };
}

// Concurrent 401s share one prompt, so the user is asked once.
function askForApiKey(rejected: boolean): Promise<string | null> {
  if (!apiKeyPrompt) return Promise.resolve(null);
  if (!pendingPrompt) {
    pendingPrompt = apiKeyPrompt(rejected).finally(() => {
      pendingPrompt = null;
    });
  }
  return pendingPrompt;
}

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

interface Envelope {
  success?: boolean;
  data?: unknown;
  nextCursor?: string | null;
  total?: unknown;
  error?: unknown;
  code?: unknown;
  field?: unknown;
}

async function send(path: string, options: RequestOptions, key: string | null): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  // Every write says JSON, even without a body: the server refuses an /api write of any
  // other type (415), since a cross-site form or no-cors fetch cannot send this one.
  if (method !== 'GET') headers['Content-Type'] = 'application/json';
  if (key) headers.Authorization = `Bearer ${key}`;
  try {
    return await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network_error', 'The server could not be reached. Check your connection and try again.');
  }
}

async function readEnvelope(res: Response): Promise<Envelope> {
  const text = await res.text();
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    // Every field of an Envelope is optional and checked where it is read.
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

function errorFrom(res: Response, env: Envelope): ApiError {
  const message =
    typeof env.error === 'string' && env.error
      ? env.error
      : `The server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`;
  const code = typeof env.code === 'string' ? env.code : res.status === 401 ? 'unauthenticated' : 'http_error';
  const field = typeof env.field === 'string' && env.field ? env.field : undefined;
  return new ApiError(res.status, code, message, field);
}

const MAX_KEY_ATTEMPTS = 3;

async function request(path: string, options: RequestOptions): Promise<Envelope> {
  for (let attempt = 0; ; attempt++) {
    const key = getApiKey();
    const res = await send(path, options, key);
    const env = await readEnvelope(res);
    if (res.ok && env.success !== false) return env;
    const error = errorFrom(res, env);
    if (res.status !== 401 || attempt >= MAX_KEY_ATTEMPTS) throw error;
    // Another request may have obtained a key while this one was in flight: use it.
    if (getApiKey() !== key) continue;
    if (key) clearApiKey();
    const newKey = await askForApiKey(key !== null);
    if (!newKey) throw error;
    setApiKey(newKey);
  }
}

/** Calls the API and returns the envelope's `data`. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const env = await request(path, options);
  return env.data as T;
}

/** Calls a list endpoint and returns its items with the cursor of the next page. */
export async function apiList<T>(path: string, options: RequestOptions = {}): Promise<Page<T>> {
  const env = await request(path, options);
  return {
    items: Array.isArray(env.data) ? (env.data as T[]) : [],
    nextCursor: typeof env.nextCursor === 'string' && env.nextCursor ? env.nextCursor : null,
    ...(typeof env.total === 'number' ? { total: env.total } : {}),
  };
}
