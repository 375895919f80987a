// Loading, error and empty states, shared so every view says the same thing the same way.

import type { ReactNode } from 'react';
import { isApiError } from '../api/client';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state--loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

/** A human sentence for any error the API client throws. */
export function errorMessage(error: unknown): string {
  if (isApiError(error)) {
    if (error.status === 0) return error.message;
    if (error.status === 401) return 'This server needs an API key, and none was accepted.';
    return error.message;
  }
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

export function ErrorState({
  error,
  title = 'Something went wrong',
  onRetry,
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}) {
  return (
    <div className="state state--error" role="alert">
      <p className="state__title">{title}</p>
      <p>{errorMessage(error)}</p>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/**
 * A failed query: `notFound` when this server does not offer the endpoint yet (it answered
 * 404), otherwise the error with a button to try again.
 */
export function QueryError({
  error,
  title,
  onRetry,
  notFound,
}: {
  error: unknown;
  title: string;
  onRetry: () => void;
  notFound: ReactNode;
}) {
  if (isApiError(error) && error.status === 404) return <>{notFound}</>;
  return <ErrorState title={title} error={error} onRetry={onRetry} />;
}

/** Says a part of the dashboard is not offered by this server yet, and what works meanwhile. */
export function NotAvailable({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="state state--empty" role="note">
      <p className="state__title">{title}</p>
      <p>{children}</p>
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state state--empty">{children}</div>;
}
