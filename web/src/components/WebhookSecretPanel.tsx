// The signing secret of an endpoint just added: the server sends it once, so it is shown
// once, here, until dismissed. It lives only in the page's state (never in the query
// cache or the browser's storage): dismissing or leaving the page forgets it.

import { useEffect, useRef, useState } from 'react';

type CopyState = 'idle' | 'copied' | 'failed';

export function WebhookSecretPanel({ url, secret, onDismiss }: { url: string; secret: string; onDismiss: () => void }) {
  const [copy, setCopy] = useState<CopyState>('idle');
  const ref = useRef<HTMLElement>(null);
  const codeRef = useRef<HTMLElement>(null);

  // The panel takes the focus when it appears, so the secret is what the user meets next.
  useEffect(() => ref.current?.focus(), []);

  async function copySecret() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopy('copied');
    } catch {
      // No clipboard (an insecure origin, a refused permission): select the text instead.
      const el = codeRef.current;
      const selection = window.getSelection();
      if (el && selection) {
        const range = document.createRange();
        range.selectNodeContents(el);
        selection.removeAllRanges();
        selection.addRange(range);
      }
      setCopy('failed');
    }
  }

  return (
    <section
      ref={ref}
      className="panel secret-panel"
      aria-labelledby="webhook-secret-heading"
      tabIndex={-1}
      data-testid="webhook-secret"
    >
      <h3 id="webhook-secret-heading">Signing secret for {url}</h3>
      <p>
        <strong>Shown only now: store it in the receiver.</strong> Rekindle signs every delivery to this endpoint with
        it and cannot show it again.
      </p>
      <div className="secret-panel__value">
        <code ref={codeRef} data-testid="webhook-secret-value">
          {secret}
        </code>
        <button type="button" className="button" onClick={() => void copySecret()}>
          Copy
        </button>
        <span role="status" className="muted small">
          {copy === 'copied'
            ? 'Copied.'
            : copy === 'failed'
              ? 'Could not copy: the secret is selected, copy it by hand.'
              : ''}
        </span>
      </div>
      <button type="button" className="button button--primary" onClick={onDismiss}>
        I have stored it
      </button>
    </section>
  );
}
