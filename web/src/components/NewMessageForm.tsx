// A new message's name; the page starts it from a copy of another message's templates.

import { useId, useState, type FormEvent } from 'react';
import { isApiError } from '../api/client';
import { toSentence } from '../lib/format';

export function NewMessageForm({
  copyOf,
  busy,
  error,
  onCreate,
}: {
  /** The message whose templates the new one starts from. */
  copyOf: string;
  busy: boolean;
  error: unknown;
  onCreate: (name: string) => void;
}) {
  const id = useId();
  const [name, setName] = useState('');
  const [empty, setEmpty] = useState(false);
  const nameError = empty
    ? 'Give the message a name.'
    : error instanceof Error && (!isApiError(error) || !error.field || error.field === 'name')
      ? toSentence(error.message)
      : null;
  const otherError = !empty && isApiError(error) && error.field && error.field !== 'name' ? error : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    const trimmed = name.trim();
    setEmpty(!trimmed);
    if (trimmed) onCreate(trimmed);
  }

  return (
    <form className="toolbar" onSubmit={submit} noValidate aria-busy={busy || undefined}>
      <div className={`field field--grow${nameError ? ' field--invalid' : ''}`}>
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          id={`${id}-name`}
          type="text"
          value={name}
          autoComplete="off"
          onChange={(e) => {
            setName(e.target.value);
            setEmpty(false);
          }}
          aria-invalid={nameError ? true : undefined}
          aria-describedby={`${id}-hint${nameError ? ` ${id}-error` : ''}`}
        />
        <p id={`${id}-hint`} className="field__hint">
          Its name, e.g. <code>winback-4</code>. It starts from a copy of {copyOf}’s templates.
        </p>
        {nameError && (
          <p id={`${id}-error`} className="field__error" role="alert">
            {nameError}
          </p>
        )}
      </div>
      <button type="submit" className="button button--primary" disabled={busy}>
        {busy ? 'Creating…' : 'Create and edit'}
      </button>
      {otherError && (
        <p className="form-error" role="alert">
          {toSentence(otherError.message)}
        </p>
      )}
    </form>
  );
}
