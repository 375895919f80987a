import { afterEach, describe, expect, it, vi } from 'vitest';
import { fail, fakeApi, list, ok } from '../test/fakeApi';
import { getApiKey } from './apiKey';
import { ApiError, apiList, apiRequest, buildUrl, parseRetryAfter, setApiKeyPrompt } from './client';
import { shouldRetry } from './queryClient';

let unregister: (() => void) | undefined;
afterEach(() => {
  unregister?.();
  unregister = undefined;
});

describe('apiRequest', () => {
  it('returns the data inside a success envelope', async () => {
    fakeApi({ 'GET /api/users/:userId': (r) => ok({ userId: r.params.userId }) });
    await expect(apiRequest('/api/users/u-1')).resolves.toEqual({ userId: 'u-1' });
  });

  it('sends JSON bodies with the method given', async () => {
    const api = fakeApi({ 'POST /api/users': (r) => ok(r.body, 201) });
    await apiRequest('/api/users', { method: 'POST', body: { name: 'Ada' } });
    expect(api.calls[0]?.body).toEqual({ name: 'Ada' });
    expect(api.calls[0]?.headers['Content-Type']).toBe('application/json');
  });

  it('says JSON on every write, with or without a body, and not on reads', async () => {
    const api = fakeApi({
      'POST /api/queues/:name/redrive': () => ok({ moved: 0 }),
      'PUT /api/users/:userId': () => ok({}),
      'DELETE /api/users/:userId': () => ok({ deleted: true }),
      'GET /api/users/:userId': () => ok({}),
    });
    await apiRequest('/api/queues/email-processor/redrive', { method: 'POST' });
    await apiRequest('/api/users/u-1', { method: 'PUT', body: { name: 'Ada' } });
    await apiRequest('/api/users/u-1', { method: 'DELETE' });
    await apiRequest('/api/users/u-1');
    expect(api.calls.map((c) => [c.method, c.headers['Content-Type']])).toEqual([
      ['POST', 'application/json'],
      ['PUT', 'application/json'],
      ['DELETE', 'application/json'],
      ['GET', undefined],
    ]);
    expect(api.calls.map((c) => c.body)).toEqual([undefined, { name: 'Ada' }, undefined, undefined]);
  });

  it('throws an ApiError carrying status, code, message and field', async () => {
    fakeApi({
      'POST /api/users': () => fail(409, 'already_exists', 'a user with email a@b.co already exists', 'email'),
    });
    const error = await apiRequest('/api/users', { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 409,
      code: 'already_exists',
      message: 'a user with email a@b.co already exists',
      field: 'email',
    });
  });

  it('makes an ApiError of a response that is not an envelope', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() =>
        Promise.resolve(new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' })),
      ),
    );
    await expect(apiRequest('/api/users')).rejects.toMatchObject({ status: 502, code: 'http_error' });
  });

  it('makes an ApiError with status 0 when the server cannot be reached', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    );
    await expect(apiRequest('/api/users')).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });
});

describe('apiList', () => {
  it('returns the items and the next cursor', async () => {
    fakeApi({ 'GET /api/users': () => list([{ userId: 'a' }], 'next-1') });
    await expect(apiList('/api/users')).resolves.toEqual({ items: [{ userId: 'a' }], nextCursor: 'next-1' });
  });

  it('reports the last page as a null cursor', async () => {
    fakeApi({ 'GET /api/users': () => list([]) });
    await expect(apiList('/api/users')).resolves.toEqual({ items: [], nextCursor: null });
  });
});

describe('buildUrl', () => {
  it('leaves out empty query values and encodes the rest', () => {
    expect(buildUrl('/api/users', { limit: 25, cursor: null, search: 'a b&c', atRisk: undefined, sort: '' })).toBe(
      '/api/users?limit=25&search=a+b%26c',
    );
  });
});

describe('API keys', () => {
  it('asks for a key on 401, keeps it for the session and retries with it', async () => {
    const api = fakeApi({
      'GET /api/users': (r) =>
        r.headers.Authorization === 'Bearer s3cret' ? list([]) : fail(401, 'unauthenticated', 'an API key is required'),
    });
    const prompt = vi.fn(() => Promise.resolve('s3cret'));
    unregister = setApiKeyPrompt(prompt);

    await expect(apiList('/api/users')).resolves.toEqual({ items: [], nextCursor: null });
    expect(prompt).toHaveBeenCalledTimes(1);
    expect(prompt).toHaveBeenCalledWith(false);
    expect(getApiKey()).toBe('s3cret');
    expect(window.sessionStorage.getItem('rekindle.apiKey')).toBe('s3cret');

    await apiList('/api/users');
    expect(prompt).toHaveBeenCalledTimes(1);
    expect(api.calls).toHaveLength(3);
  });

  it('asks once for many requests that fail together', async () => {
    fakeApi({
      'GET /api/users': (r) => (r.headers.Authorization ? list([]) : fail(401, 'unauthenticated', 'key needed')),
    });
    let release: (k: string) => void = () => {};
    const prompt = vi.fn(() => new Promise<string | null>((resolve) => (release = resolve)));
    unregister = setApiKeyPrompt(prompt);

    const both = Promise.all([apiList('/api/users'), apiList('/api/users')]);
    await vi.waitFor(() => expect(prompt).toHaveBeenCalled());
    release('k');
    await both;
    expect(prompt).toHaveBeenCalledTimes(1);
  });

  it('says the key was rejected when the server refuses it', async () => {
    fakeApi({
      'GET /api/users': (r) =>
        r.headers.Authorization === 'Bearer good' ? list([]) : fail(401, 'unauthenticated', 'bad key'),
    });
    const prompt = vi.fn().mockResolvedValueOnce('bad').mockResolvedValueOnce('good');
    unregister = setApiKeyPrompt(prompt);
    await apiList('/api/users');
    expect(prompt.mock.calls).toEqual([[false], [true]]);
    expect(getApiKey()).toBe('good');
  });

  it('gives up with the 401 when the user declines', async () => {
    fakeApi({ 'GET /api/users': () => fail(401, 'unauthenticated', 'an API key is required') });
    unregister = setApiKeyPrompt(() => Promise.resolve(null));
    await expect(apiList('/api/users')).rejects.toMatchObject({ status: 401 });
  });
});

describe('retry policy', () => {
  it('does not retry client mistakes but retries server faults twice', () => {
    expect(shouldRetry(0, new ApiError(404, 'not_found', 'x'))).toBe(false);
    expect(shouldRetry(0, new ApiError(500, 'internal', 'x'))).toBe(true);
    expect(shouldRetry(1, new ApiError(0, 'network_error', 'x'))).toBe(true);
    expect(shouldRetry(2, new ApiError(503, 'unavailable', 'x'))).toBe(false);
  });
});

describe('Retry-After', () => {
  it('reads seconds or an HTTP date, and nothing else', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('30', now)).toBe(30);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:30 GMT', now)).toBe(90);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('is carried by the ApiError of a refusal that sends it', async () => {
    fakeApi({
      'POST /api/test-email': () => ({
        ...fail(429, 'rate_limited', 'too many test emails'),
        headers: { 'Retry-After': '17' },
      }),
      'GET /api/users': () => fail(400, 'invalid_argument', 'bad'),
    });
    const limited = await apiRequest('/api/test-email', { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(ApiError);
    expect(limited).toMatchObject({ status: 429, code: 'rate_limited', retryAfter: 17 });
    const plain = await apiRequest('/api/users').catch((e: unknown) => e);
    expect((plain as ApiError).retryAfter).toBeUndefined();
  });
});
