// "Send a test to me": the win-back email, rendered exactly as a client would get it,
// sent to an address the user types. Presentational: the page owns the mutation and the
// journey's step count. A refusal is shown by the input it is about, a missing setting
// links to its field in the form above, and a sent test is announced as a status.

import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { TestEmailRequest, TestEmailResult } from '../api/settings/types';
import { settingLabel } from '../lib/settingsForm';
import {
  EMPTY_TEST_EMAIL_FORM,
  hasTestEmailErrors,
  stepChoices,
  TEST_EMAIL_FIELDS,
  testEmailProblem,
  testEmailSentence,
  toTestEmailRequest,
  validateTestEmail,
  type TestEmailField,
  type TestEmailFormErrors,
  type TestEmailFormValues,
} from '../lib/testEmail';

export function TestEmailCard({
  steps,
  busy,
  result,
  error,
  onSend,
}: {
  /** How many steps the journey has; undefined while it is not known (step 1 alone is offered). */
  steps: number | undefined;
  busy: boolean;
  /** The last test sent, shown until the next is asked for. */
  result: TestEmailResult | undefined;
  /** The last refusal, shown by its input until that input is edited. */
  error: unknown;
  onSend: (request: TestEmailRequest) => void;
}) {
  const id = useId();
  const headingId = `${id}-title`;
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<TestEmailFormValues>(EMPTY_TEST_EMAIL_FORM);
  const [errors, setErrors] = useState<TestEmailFormErrors>({});
  const [submitted, setSubmitted] = useState(false);
  const [dismissed, setDismissed] = useState<unknown>(null);

  const problem = error && error !== dismissed ? testEmailProblem(error) : undefined;
  const choices = stepChoices(steps);

  const inputId = (field: TestEmailField) => `${id}-${field}`;

  // A refusal about an input takes the focus there.
  useEffect(() => {
    const field = error ? testEmailProblem(error).field : undefined;
    if (field) formRef.current?.querySelector<HTMLElement>(`#${CSS.escape(inputId(field))}`)?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [error]);

  function set(field: TestEmailField, value: string) {
    const next = { ...values, [field]: value };
    setValues(next);
    if (submitted) setErrors(validateTestEmail(next, steps));
    if (problem?.field === field) setDismissed(error);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    const found = validateTestEmail(values, steps);
    setErrors(found);
    if (hasTestEmailErrors(found)) {
      const first = TEST_EMAIL_FIELDS.find((f) => found[f]);
      if (first) formRef.current?.querySelector<HTMLElement>(`#${CSS.escape(inputId(first))}`)?.focus();
      return;
    }
    setDismissed(null);
    onSend(toTestEmailRequest(values));
  }

  function fieldProps(field: TestEmailField, hint?: boolean) {
    const message = errors[field] ?? (problem?.field === field ? problem.message : undefined);
    const describedBy = [hint ? `${inputId(field)}-hint` : null, message ? `${inputId(field)}-error` : null]
      .filter(Boolean)
      .join(' ');
    return {
      message,
      props: {
        id: inputId(field),
        name: field,
        value: values[field],
        'aria-invalid': message ? true : undefined,
        'aria-describedby': describedBy || undefined,
      } as const,
    };
  }

  const to = fieldProps('to');
  const client = fieldProps('userId', true);
  const step = fieldProps('step');

  return (
    <section className="panel test-email" aria-labelledby={headingId}>
      <div className="panel__header">
        <h2 id={headingId}>Send a test to me</h2>
      </div>
      <p className="muted small" id={`${id}-about`}>
        The win-back email exactly as a client gets it, marked “[Test]”, through the configured mailer; it is counted
        nowhere (no email record, no cap, no metric).
      </p>
      <form
        ref={formRef}
        className="form test-email__form"
        onSubmit={submit}
        noValidate
        aria-describedby={`${id}-about`}
        aria-busy={busy || undefined}
      >
        <div className={`field${to.message ? ' field--invalid' : ''}`}>
          <label htmlFor={to.props.id}>Send to</label>
          <input
            {...to.props}
            type="email"
            autoComplete="email"
            placeholder="you@yourshop.example"
            aria-required="true"
            onChange={(e) => set('to', e.target.value)}
          />
          {to.message && (
            <p id={`${to.props.id}-error`} className="field__error">
              {to.message}
            </p>
          )}
        </div>
        <div className={`field${client.message ? ' field--invalid' : ''}`}>
          <label htmlFor={client.props.id}>Client id</label>
          <input
            {...client.props}
            type="text"
            autoComplete="off"
            placeholder="A sample client"
            onChange={(e) => set('userId', e.target.value)}
          />
          <p id={`${client.props.id}-hint`} className="field__hint">
            The client to render it for (their name, orders and links); leave empty for a built-in sample client.
          </p>
          {client.message && (
            <p id={`${client.props.id}-error`} className="field__error">
              {client.message}
            </p>
          )}
        </div>
        <div className={`field${step.message ? ' field--invalid' : ''}`}>
          <label htmlFor={step.props.id}>Journey step</label>
          <select {...step.props} onChange={(e) => set('step', e.target.value)}>
            {choices.map((n) => (
              <option key={n} value={String(n)}>
                Step {n}
              </option>
            ))}
          </select>
          {step.message && (
            <p id={`${step.props.id}-error`} className="field__error">
              {step.message}
            </p>
          )}
        </div>

        {problem && !problem.field && (
          <div className="form-error" role="alert" data-testid="test-email-error">
            {problem.message}
            {problem.setting && (
              <>
                {' '}
                <Link to={{ hash: `#${encodeURIComponent(problem.setting)}` }} data-testid="test-email-setting">
                  Set {settingLabel(problem.setting)}
                </Link>
              </>
            )}
          </div>
        )}
        {problem?.field && (
          <p className="sr-only" role="alert">
            {problem.message}
          </p>
        )}

        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Sending…' : 'Send test'}
          </button>
        </div>
      </form>
      <div role="status" data-testid="test-email-result">
        {result && !busy && (
          <>
            <p className="test-email__sent">{testEmailSentence(result)}</p>
            {result.delivery && <p className="muted small">Mailer: {result.delivery}</p>}
          </>
        )}
      </div>
    </section>
  );
}
