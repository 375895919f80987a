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

import { filenameFromDisposition } from '../lib/download';
import { clearApiKey, getApiKey, setApiKey } from './apiKey';

export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number;
  /** The API's stable snake_case code, e.g. `invalid_argument`, `already_exists`. */
  readonly code: string;
  /** The request field the error is about (e.g. `email`), when the server names one. */
  readonly field: string | undefined;
  /** Seconds to wait before trying again, from a Retry-After header (a 429 or 503). */
  readonly retryAfter: number | undefined;

  constructor(status: number, code: string, message: string, field?: string, retryAfter?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
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
  /**
   * A body sent as it is (a file, or a slice of one) with its own Content-Type, instead of
   * `body` as JSON: an import's file. A Blob can be sent again after a 401 and a new key.
   */
  upload?: { body: Blob; contentType: string };
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

async function send(path: string, options: RequestOptions, key: string | null, accept: string): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: accept };
  // Every write says JSON, even without a body: the server refuses an /api write of any
  // other type (415), since a cross-site form or no-cors fetch cannot send this one. An
  // upload names its own type, which its route accepts instead.
  if (options.upload) headers['Content-Type'] = options.upload.contentType;
  else if (method !== 'GET') headers['Content-Type'] = 'application/json';
  if (key) headers.Authorization = `Bearer ${key}`;
  try {
    return await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body: options.upload
        ? options.upload.body
        : options.body === undefined
          ? undefined
          : JSON.stringify(options.body),
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

/**
 * A Retry-After header as whole seconds from `now`: delay-seconds ("30") or an HTTP date
 * (rounded up, never below 0); undefined when there is none or it cannot be read.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date = new Date()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

function errorFrom(res: Response, env: Envelope): ApiError {
  // The envelope's error is a string beside `code` and `field`; an error object
  // ({"error": {"code", "message", "field"}}) is read the same way.
  const nested: Envelope & { message?: unknown } = typeof env.error === 'object' && env.error !== null ? env.error : {};
  const text = typeof env.error === 'string' ? env.error : nested.message;
  const message =
    typeof text === 'string' && text
      ? text
      : `The server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`;
  const rawCode = env.code ?? nested.code;
  const code = typeof rawCode === 'string' ? rawCode : res.status === 401 ? 'unauthenticated' : 'http_error';
  const rawField = env.field ?? nested.field;
  const field = typeof rawField === 'string' && rawField ? rawField : undefined;
  return new ApiError(res.status, code, message, field, parseRetryAfter(res.headers.get('Retry-After')));
}

const MAX_KEY_ATTEMPTS = 3;

/**
 * Sends the request with the session's API key, asking for a key on a 401 and sending it
 * again; resolves to the first 2xx response, throws the ApiError of any other.
 */
async function authorized(path: string, options: RequestOptions, accept: string): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const key = getApiKey();
    const res = await send(path, options, key, accept);
    if (res.ok) return res;
    const error = errorFrom(res, await readEnvelope(res));
    if (res.status !== 401 || attempt >= MAX_KEY_ATTEMPTS) throw error;
    // Another request may have obtained a key while this one was in flight: use it.
    if (getApiKey() !== key) continue;
    if (key) clearApiKey();
    const newKey = await askForApiKey(key !== null);
    if (!newKey) throw error;
    setApiKey(newKey);
  }
}

async function request(path: string, options: RequestOptions): Promise<Envelope> {
  const res = await authorized(path, options, 'application/json');
  const env = await readEnvelope(res);
  if (env.success === false) throw errorFrom(res, env);
  return env;
}

/** Calls the API and returns the envelope's `data`. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const env = await request(path, options);
  return env.data as T;
}

/** Calls a list endpoint and returns its items with the cursor of the next page. */
export async function apiList<T>(path: string, options: RequestOptions = {}): Promise<Page<T>> {
  const env = await request(path, options);
  // The items are the envelope's data; a list sent as data {items, nextCursor} reads the same.
  const inner: Envelope & { items?: unknown } =
    typeof env.data === 'object' && env.data !== null && !Array.isArray(env.data) ? env.data : {};
  const items = Array.isArray(env.data) ? env.data : Array.isArray(inner.items) ? inner.items : [];
  const nextCursor = env.nextCursor ?? inner.nextCursor;
  const total = env.total ?? inner.total;
  return {
    items: items as T[],
    nextCursor: typeof nextCursor === 'string' && nextCursor ? nextCursor : null,
    ...(typeof total === 'number' ? { total } : {}),
  };
}

/** A file the API sends (an export), with the name its Content-Disposition gives. */
export interface Download {
  blob: Blob;
  /** From Content-Disposition; null when the server names none. */
  filename: string | null;
}

/** Fetches a file with the API key (a plain link could not send it); errors as ApiError. */
export async function apiDownload(path: string, options: RequestOptions = {}): Promise<Download> {
  const res = await authorized(path, options, '*/*');
  try {
    return { blob: await res.blob(), filename: filenameFromDisposition(res.headers.get('Content-Disposition')) };
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network_error', 'The download was cut off. Check your connection and try again.');
  }
}
