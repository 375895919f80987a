// The add-endpoint form: the URL, a checkbox per event type the server lists, and a
// description. Checks what the server checks (lib/webhooks) and shows the server's 400
// at the field it names, or above the button when it names none (an unknown key).

import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ApiError } from '../api/client';
import { toSentence } from '../lib/format';
import {
  DESCRIPTION_MAX_BYTES,
  EMPTY_WEBHOOK_FORM,
  hasWebhookErrors,
  toggleEvent,
  utf8Length,
  validateWebhookForm,
  webhookFieldOf,
  type WebhookFormErrors,
  type WebhookFormField,
  type WebhookFormValues,
} from '../lib/webhooks';

const LABELS: Record<WebhookFormField, string> = { url: 'Endpoint URL', events: 'Events', description: 'Description' };

export function WebhookForm({
  events,
  busy,
  serverError,
  onSubmit,
}: {
  /** The event types, as GET /api/webhooks/events lists them. */
  events: readonly string[];
  busy: boolean;
  /** The last error from the server, shown at its field until that field is edited. */
  serverError: ApiError | Error | null;
  onSubmit: (values: WebhookFormValues) => void;
}) {
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<WebhookFormValues>(EMPTY_WEBHOOK_FORM);
  const [errors, setErrors] = useState<WebhookFormErrors>({});
  const [submitted, setSubmitted] = useState(false);
  const [dismissed, setDismissed] = useState<unknown>(null);

  const active = serverError && serverError !== dismissed ? serverError : null;
  const serverField = active ? webhookFieldOf((active as ApiError).field) : undefined;

  // A server error about a field takes the focus there.
  useEffect(() => {
    const field = serverError ? webhookFieldOf((serverError as ApiError).field) : undefined;
    if (field) formRef.current?.querySelector<HTMLElement>(`[data-field="${field}"]`)?.focus();
  }, [serverError]);

  function update(next: WebhookFormValues, field: WebhookFormField) {
    setValues(next);
    if (serverField === field) setDismissed(serverError);
    if (submitted) setErrors(validateWebhookForm(next));
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    const found = validateWebhookForm(values);
    setErrors(found);
    if (hasWebhookErrors(found)) {
      const first = (['url', 'events', 'description'] as const).find((f) => found[f]);
      if (first) formRef.current?.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus();
      return;
    }
    setDismissed(null);
    onSubmit(values);
  }

  const message = (field: WebhookFormField) =>
    errors[field] ?? (serverField === field && active ? toSentence(active.message) : undefined);
  const urlError = message('url');
  const eventsError = message('events');
  const descriptionError = message('description');
  const bytes = utf8Length(values.description.trim());

  return (
    <form
      ref={formRef}
      className="form"
      aria-label="Add an endpoint"
      onSubmit={submit}
      noValidate
      aria-busy={busy || undefined}
    >
      <div className={`field${urlError ? ' field--invalid' : ''}`}>
        <label htmlFor={`${id}-url`}>{LABELS.url}</label>
        <input
          id={`${id}-url`}
          data-field="url"
          type="url"
          inputMode="url"
          autoComplete="off"
          placeholder="https://example.com/rekindle-events"
          value={values.url}
          maxLength={2048}
          aria-invalid={urlError ? true : undefined}
          aria-describedby={urlError ? `${id}-url-error` : undefined}
          onChange={(e) => update({ ...values, url: e.target.value }, 'url')}
        />
        {urlError && (
          <p id={`${id}-url-error`} className="field__error">
            {urlError}
          </p>
        )}
      </div>

      <fieldset
        className={`event-choices${eventsError ? ' field--invalid' : ''}`}
        aria-describedby={eventsError ? `${id}-events-error` : undefined}
      >
        <legend>{LABELS.events}</legend>
        <ul>
          {events.map((event, i) => (
            <li key={event} className="field field--check">
              <input
                id={`${id}-event-${i}`}
                data-field={i === 0 ? 'events' : undefined}
                type="checkbox"
                checked={values.events.includes(event)}
                aria-invalid={eventsError ? true : undefined}
                onChange={(e) =>
                  update({ ...values, events: toggleEvent(values.events, event, e.target.checked) }, 'events')
                }
              />
              <label htmlFor={`${id}-event-${i}`}>
                <code>{event}</code>
              </label>
            </li>
          ))}
        </ul>
        {eventsError && (
          <p id={`${id}-events-error`} className="field__error">
            {eventsError}
          </p>
        )}
      </fieldset>

      <div className={`field${descriptionError ? ' field--invalid' : ''}`}>
        <label htmlFor={`${id}-description`}>{LABELS.description}</label>
        <input
          id={`${id}-description`}
          data-field="description"
          type="text"
          autoComplete="off"
          value={values.description}
          aria-invalid={descriptionError ? true : undefined}
          aria-describedby={`${id}-description-hint${descriptionError ? ` ${id}-description-error` : ''}`}
          onChange={(e) => update({ ...values, description: e.target.value }, 'description')}
        />
        <p id={`${id}-description-hint`} className="field__hint">
          Optional: what the receiver is. {bytes} of {DESCRIPTION_MAX_BYTES} bytes.
        </p>
        {descriptionError && (
          <p id={`${id}-description-error`} className="field__error">
            {descriptionError}
          </p>
        )}
      </div>

      {active && !serverField && (
        <p className="form-error" role="alert">
          {toSentence(active.message)}
        </p>
      )}
      {active && serverField && (
        <p className="sr-only" role="alert">
          {LABELS[serverField]}: {toSentence(active.message)}
        </p>
      )}
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add endpoint'}
        </button>
      </div>
    </form>
  );
}
