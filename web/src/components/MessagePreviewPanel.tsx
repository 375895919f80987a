// A message's draft as a client would get it: the rendered subject, the HTML in a
// sandboxed iframe under the preview policy (lib/emailPreview: nothing remote loads, no
// script runs, links go nowhere) and the plain text, for the client whose id is typed
// (the server's sample client when none is).

import { useId, useState, type KeyboardEvent } from 'react';
import type { MessagePreview } from '../api/messages/types';
import { previewDocument } from '../lib/emailPreview';

type Tab = 'html' | 'text';

const TABS: { id: Tab; label: string; panel: string }[] = [
  { id: 'html', label: 'HTML', panel: 'The HTML, rendered' },
  { id: 'text', label: 'Text', panel: 'The plain text' },
];

export function MessagePreviewPanel({
  preview,
  updating,
  error,
  userId,
  onUserIdChange,
  userIdError,
}: {
  preview: MessagePreview | undefined;
  /** A newer draft's preview is on its way. */
  updating: boolean;
  /** A failure that belongs to no field, worded. */
  error: string | null;
  userId: string;
  onUserIdChange: (userId: string) => void;
  userIdError: string | null;
}) {
  const id = useId();
  const [tab, setTab] = useState<Tab>('html');

  function onTabKey(e: KeyboardEvent<HTMLButtonElement>) {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    const next: Tab = tab === 'html' ? 'text' : 'html';
    setTab(next);
    document.getElementById(`${id}-tab-${next}`)?.focus();
  }

  return (
    <div className="message-preview" aria-busy={updating || undefined}>
      <div className={`field${userIdError ? ' field--invalid' : ''}`}>
        <label htmlFor={`${id}-user`}>Preview for client</label>
        <input
          id={`${id}-user`}
          type="text"
          value={userId}
          autoComplete="off"
          placeholder="a client id"
          onChange={(e) => onUserIdChange(e.target.value)}
          aria-invalid={userIdError ? true : undefined}
          aria-describedby={`${id}-user-hint${userIdError ? ` ${id}-user-error` : ''}`}
        />
        <p id={`${id}-user-hint`} className="field__hint">
          A client’s id; empty previews for a sample client.
        </p>
        {userIdError && (
          <p id={`${id}-user-error`} className="field__error" role="alert">
            {userIdError}
          </p>
        )}
      </div>

      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}

      {preview && (
        <>
          <p className="muted small" data-testid="preview-client">
            For {preview.client.name}
            {preview.client.sample ? ' (a sample client)' : preview.client.userId ? ` (${preview.client.userId})` : ''}
            {preview.step ? `, as step ${preview.step}` : ''}
            {updating ? ' · updating…' : ''}
          </p>
          <p className="message-preview__subject">
            <span className="muted small">Subject </span>
            <strong data-testid="preview-subject">{preview.subject}</strong>
          </p>
          <div role="tablist" aria-label="Preview format" className="tabs">
            {TABS.map((t) => (
              <button
                key={t.id}
                id={`${id}-tab-${t.id}`}
                type="button"
                role="tab"
                className="tabs__tab"
                aria-selected={tab === t.id}
                aria-controls={`${id}-panel-${t.id}`}
                tabIndex={tab === t.id ? 0 : -1}
                onClick={() => setTab(t.id)}
                onKeyDown={onTabKey}
              >
                {t.label}
              </button>
            ))}
          </div>
          <div
            id={`${id}-panel-html`}
            role="tabpanel"
            aria-label={TABS[0]!.panel}
            hidden={tab !== 'html'}
            className="message-preview__panel"
          >
            {tab === 'html' && (
              <iframe
                className="email-frame"
                title="Message preview"
                sandbox=""
                srcDoc={previewDocument(preview.html)}
                referrerPolicy="no-referrer"
                style={{ height: 480 }}
              />
            )}
          </div>
          <div
            id={`${id}-panel-text`}
            role="tabpanel"
            aria-label={TABS[1]!.panel}
            hidden={tab !== 'text'}
            className="message-preview__panel"
          >
            {tab === 'text' && (
              <pre className="email-text" data-testid="preview-text">
                {preview.text || '(empty)'}
              </pre>
            )}
          </div>
        </>
      )}
    </div>
  );
}
