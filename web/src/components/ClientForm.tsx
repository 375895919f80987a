// The client form, for adding and for editing. Validates in the browser as the API does
// (lib/clientForm), shows each problem at its field, and shows the server's answer at the
// field it names (or above the buttons when it names none).

import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ApiError } from '../api/client';
import {
  CLIENT_FORM_FIELDS,
  formFieldOf,
  hasErrors,
  validateClientForm,
  type ClientFormErrors,
  type ClientFormField,
  type ClientFormValues,
} from '../lib/clientForm';
import { toDateInputValue, toSentence } from '../lib/format';

interface FieldSpec {
  label: string;
  type: 'email' | 'text' | 'date' | 'number';
  hint?: string;
  required?: boolean;
  autoComplete?: string;
  inputMode?: 'numeric' | 'decimal';
  step?: string;
}

const FIELDS: Record<ClientFormField, FieldSpec> = {
  email: { label: 'Email', type: 'email', required: true, autoComplete: 'off' },
  name: { label: 'Name', type: 'text', required: true, autoComplete: 'off' },
  lastOrderDate: { label: 'Last order date', type: 'date', hint: 'Leave empty if the client has not ordered yet.' },
  orderCount: { label: 'Number of orders', type: 'number', inputMode: 'numeric', step: '1' },
  averageOrderValue: { label: 'Average order value', type: 'number', inputMode: 'decimal', step: '0.01' },
  preferredCategories: {
    label: 'Preferred categories',
    type: 'text',
    hint: 'Separated by commas, e.g. Denim, Knitwear.',
  },
};

export function ClientForm({
  initialValues,
  submitLabel,
  busyLabel,
  busy,
  serverError,
  onSubmit,
  onCancel,
}: {
  initialValues: ClientFormValues;
  submitLabel: string;
  busyLabel: string;
  busy: boolean;
  /** The last error from the server, shown at its field. */
  serverError: ApiError | Error | null;
  onSubmit: (values: ClientFormValues) => void;
  onCancel?: () => void;
}) {
  const idPrefix = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState(initialValues);
  const [errors, setErrors] = useState<ClientFormErrors>({});
  const [submitted, setSubmitted] = useState(false);
  // Server errors are shown until the field they name is edited.
  const [dismissedServerError, setDismissedServerError] = useState<unknown>(null);

  const activeServerError = serverError && serverError !== dismissedServerError ? serverError : null;
  const serverField = activeServerError ? formFieldOf((activeServerError as ApiError).field) : undefined;

  // A server error about a field takes the focus there, so the user lands on what to fix.
  useEffect(() => {
    const field = serverError ? formFieldOf((serverError as ApiError).field) : undefined;
    if (field) formRef.current?.querySelector<HTMLElement>(`#${CSS.escape(`${idPrefix}-${field}`)}`)?.focus();
  }, [serverError, idPrefix]);

  function set(field: ClientFormField, value: string) {
    const next = { ...values, [field]: value };
    setValues(next);
    if (submitted) setErrors(validateClientForm(next));
    if (serverField === field) setDismissedServerError(serverError);
  }

  function handleSubmit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    const found = validateClientForm(values);
    setErrors(found);
    if (hasErrors(found)) {
      const first = CLIENT_FORM_FIELDS.find((f) => found[f]);
      if (first) formRef.current?.querySelector<HTMLElement>(`#${CSS.escape(`${idPrefix}-${first}`)}`)?.focus();
      return;
    }
    setDismissedServerError(null);
    onSubmit(values);
  }

  const today = toDateInputValue(new Date());

  return (
    <form ref={formRef} className="form" onSubmit={handleSubmit} noValidate aria-busy={busy || undefined}>
      {CLIENT_FORM_FIELDS.map((field) => {
        const spec = FIELDS[field];
        const id = `${idPrefix}-${field}`;
        const message =
          errors[field] ??
          (serverField === field && activeServerError ? toSentence(activeServerError.message) : undefined);
        const describedBy = [spec.hint ? `${id}-hint` : null, message ? `${id}-error` : null].filter(Boolean).join(' ');
        return (
          <div className={`field${message ? ' field--invalid' : ''}`} key={field}>
            <label htmlFor={id}>
              {spec.label}
              {spec.required ? <span aria-hidden="true"> *</span> : <span className="muted"> (optional)</span>}
            </label>
            <input
              id={id}
              name={field}
              type={spec.type}
              value={values[field]}
              onChange={(e) => set(field, e.target.value)}
              required={spec.required}
              aria-required={spec.required || undefined}
              aria-invalid={message ? true : undefined}
              aria-describedby={describedBy || undefined}
              autoComplete={spec.autoComplete}
              inputMode={spec.inputMode}
              step={spec.step}
              min={spec.type === 'number' ? '0' : undefined}
              max={spec.type === 'date' ? today : undefined}
            />
            {spec.hint && (
              <p id={`${id}-hint`} className="field__hint">
                {spec.hint}
              </p>
            )}
            {message && (
              <p id={`${id}-error`} className="field__error">
                {message}
              </p>
            )}
          </div>
        );
      })}

      {activeServerError && !serverField && (
        <p className="form-error" role="alert">
          {toSentence(activeServerError.message)}
        </p>
      )}
      {activeServerError && serverField && (
        <p className="sr-only" role="alert">
          {FIELDS[serverField].label}: {toSentence(activeServerError.message)}
        </p>
      )}

      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
