// Asks for the API key when the server answers 401. Registered with the API client, which
// calls it at most once at a time and keeps the key for the browser session.

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { setApiKeyPrompt } from '../api/client';
import { Modal } from './Modal';

interface Pending {
  rejected: boolean;
  resolve: (key: string | null) => void;
}

export function ApiKeyDialog() {
  const [pending, setPending] = useState<Pending | null>(null);
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const pendingRef = useRef<Pending | null>(null);

  useEffect(() => {
    const unregister = setApiKeyPrompt(
      (rejected) =>
        new Promise<string | null>((resolve) => {
          const p = { rejected, resolve };
          pendingRef.current = p;
          setKey('');
          setError(null);
          setPending(p);
        }),
    );
    return () => {
      unregister();
      pendingRef.current?.resolve(null);
    };
  }, []);

  if (!pending) return null;

  function finish(value: string | null) {
    pending?.resolve(value);
    pendingRef.current = null;
    setPending(null);
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) {
      setError('Enter the API key.');
      return;
    }
    finish(trimmed);
  }

  return (
    <Modal title="API key needed" onCancel={() => finish(null)}>
      <form onSubmit={onSubmit} noValidate>
        <p className="modal__body">
          {pending.rejected
            ? 'The server did not accept that key. Enter a valid one.'
            : 'This Rekindle server asks for an API key. It is kept only for this browser session.'}
        </p>
        <div className="field">
          <label htmlFor="api-key">API key</label>
          <input
            id="api-key"
            type="password"
            autoComplete="off"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'api-key-error' : undefined}
            data-autofocus
          />
          {error && (
            <p id="api-key-error" className="field__error">
              {error}
            </p>
          )}
        </div>
        <div className="modal__actions">
          <button type="button" className="button" onClick={() => finish(null)}>
            Cancel
          </button>
          <button type="submit" className="button button--primary">
            Continue
          </button>
        </div>
      </form>
    </Modal>
  );
}
