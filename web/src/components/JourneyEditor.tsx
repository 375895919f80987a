// The journey's steps (delay after the previous step, message), reorderable, and the rest
// period; saves a new version. Validates as the server does and shows the server's 400 at
// the field it names (a step's delay or message, the steps, the rest period).

import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ApiError } from '../api/client';
import type { StepConversion } from '../api/effectiveness/types';
import type { Journey } from '../api/journey/types';
import { formatCount, formatPercent, toSentence } from '../lib/format';
import {
  addStep,
  fromJourney,
  hasJourneyErrors,
  journeyChanged,
  journeyFieldOf,
  MAX_STEPS,
  moveStep,
  removeStep,
  stepDays,
  updateStep,
  validateJourneyForm,
  type JourneyFieldRef,
  type JourneyFormErrors,
  type JourneyFormValues,
  type StepField,
} from '../lib/journeyForm';

const EXIT_LABELS: Record<string, string> = {
  order: 'they order (a conversion)',
  unsubscribe: 'they unsubscribe',
  bounce: 'their address bounces',
  complaint: 'they mark an email as spam',
};

function inputId(prefix: string, ref: JourneyFieldRef): string {
  if (ref.kind === 'step') return `${prefix}-step-${ref.index}-${ref.field ?? 'delayDays'}`;
  return `${prefix}-${ref.kind}`;
}

export function JourneyEditor({
  journey,
  busy,
  serverError,
  stepStats,
  statsDays,
  onSave,
}: {
  journey: Journey;
  busy: boolean;
  serverError: ApiError | Error | null;
  /** What each step position's emails achieved lately (GET /api/effectiveness's byStep), when known. */
  stepStats?: StepConversion[];
  statsDays?: number;
  onSave: (values: JourneyFormValues) => void;
}) {
  const prefix = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState(() => fromJourney(journey));
  const [loadedVersion, setLoadedVersion] = useState(journey.version);
  const [errors, setErrors] = useState<JourneyFormErrors>({});
  const [submitted, setSubmitted] = useState(false);
  const [dismissed, setDismissed] = useState<unknown>(null);

  // A new version (ours, just saved) replaces the form with what the server stored.
  if (journey.version !== loadedVersion) {
    setLoadedVersion(journey.version);
    setValues(fromJourney(journey));
    setErrors({});
    setSubmitted(false);
  }

  const activeServerError = serverError && serverError !== dismissed ? serverError : null;
  const serverRef = activeServerError ? journeyFieldOf((activeServerError as ApiError).field) : null;
  const serverMessage = activeServerError ? toSentence(activeServerError.message) : '';

  useEffect(() => {
    const ref = serverError ? journeyFieldOf((serverError as ApiError).field) : null;
    if (ref) focus(ref);
    // focus reads only the form; the id prefix is stable.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [serverError]);

  function focus(ref: JourneyFieldRef) {
    formRef.current?.querySelector<HTMLElement>(`#${CSS.escape(inputId(prefix, ref))}`)?.focus();
  }

  function change(next: JourneyFormValues) {
    setValues(next);
    if (submitted) setErrors(validateJourneyForm(next));
    if (activeServerError) setDismissed(serverError);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    const found = validateJourneyForm(values);
    setErrors(found);
    if (hasJourneyErrors(found)) {
      const firstStep = found.step ? Number(Object.keys(found.step)[0]) : -1;
      const firstField = firstStep >= 0 ? (found.step?.[firstStep]?.delayDays ? 'delayDays' : 'message') : null;
      if (firstStep >= 0) focus({ kind: 'step', index: firstStep, field: firstField });
      else if (found.restDays) focus({ kind: 'restDays' });
      return;
    }
    setDismissed(null);
    onSave(values);
  }

  function stepError(index: number, field: StepField): string | undefined {
    const local = errors.step?.[index]?.[field];
    if (local) return local;
    if (serverRef?.kind === 'step' && serverRef.index === index && (serverRef.field ?? 'delayDays') === field)
      return serverMessage;
    return undefined;
  }

  // The server lists the messages a step may send; without a list, a name is typed.
  const messages = journey.messages ?? [];
  const stats: Record<number, StepConversion> = {};
  for (const st of stepStats ?? []) stats[st.step] = st;
  const days = stepDays(values.steps);
  const stepsError = errors.steps ?? (serverRef?.kind === 'steps' ? serverMessage : undefined);
  const restError = errors.restDays ?? (serverRef?.kind === 'restDays' ? serverMessage : undefined);
  const changed = journeyChanged(values, journey);
  const restId = inputId(prefix, { kind: 'restDays' });

  return (
    <form ref={formRef} className="form journey-form" onSubmit={submit} noValidate aria-busy={busy || undefined}>
      <fieldset className="journey-steps" aria-describedby={stepsError ? `${prefix}-steps-error` : undefined}>
        <legend>Steps</legend>
        <p className="field__hint">
          When a client becomes at risk an episode starts and these emails go out, each after its delay. It ends early
          when {journey.exits.map((x) => EXIT_LABELS[x] ?? x).join(', ') || 'the client orders'}.
        </p>
        <ol className="journey-steps__list">
          {values.steps.map((step, i) => {
            const delayId = inputId(prefix, { kind: 'step', index: i, field: 'delayDays' });
            const messageId = inputId(prefix, { kind: 'step', index: i, field: 'message' });
            const delayError = stepError(i, 'delayDays');
            const messageError = stepError(i, 'message');
            const day = days[i];
            return (
              <li className="journey-step" key={step.key} aria-label={`Step ${i + 1}`}>
                <div className="journey-step__head">
                  <span className="journey-step__number">Step {i + 1}</span>
                  <span className="muted small" data-testid={`step-day-${i + 1}`}>
                    {day === null || day === undefined ? '' : `day ${day}`}
                  </span>
                  {stats[i + 1] && (
                    <span className="muted small journey-step__stats" data-testid={`step-stats-${i + 1}`}>
                      {formatCount(stats[i + 1]!.sent)} sent, {formatCount(stats[i + 1]!.converted)} converted (
                      {formatPercent(stats[i + 1]!.conversionRate)}) in the last {statsDays ?? 30} days
                    </span>
                  )}
                </div>
                <div className="journey-step__fields">
                  <div className={`field${delayError ? ' field--invalid' : ''}`}>
                    <label htmlFor={delayId}>
                      {i === 0 ? 'Days after the episode starts' : 'Days after the previous step'}
                    </label>
                    <input
                      id={delayId}
                      type="number"
                      inputMode="numeric"
                      min="0"
                      step="1"
                      value={step.delayDays}
                      onChange={(e) => change(updateStep(values, i, 'delayDays', e.target.value))}
                      aria-invalid={delayError ? true : undefined}
                      aria-describedby={delayError ? `${delayId}-error` : undefined}
                    />
                    {delayError && (
                      <p id={`${delayId}-error`} className="field__error">
                        {delayError}
                      </p>
                    )}
                  </div>
                  <div className={`field field--grow${messageError ? ' field--invalid' : ''}`}>
                    <label htmlFor={messageId}>Message</label>
                    {messages.length ? (
                      <select
                        id={messageId}
                        value={step.message}
                        onChange={(e) => change(updateStep(values, i, 'message', e.target.value))}
                        aria-invalid={messageError ? true : undefined}
                        aria-describedby={messageError ? `${messageId}-error` : undefined}
                      >
                        {!messages.includes(step.message) && (
                          <option value={step.message}>{step.message || '—'}</option>
                        )}
                        {messages.map((m) => (
                          <option key={m} value={m}>
                            {m}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <input
                        id={messageId}
                        type="text"
                        value={step.message}
                        autoComplete="off"
                        onChange={(e) => change(updateStep(values, i, 'message', e.target.value))}
                        aria-invalid={messageError ? true : undefined}
                        aria-describedby={messageError ? `${messageId}-error` : undefined}
                      />
                    )}
                    {messageError && (
                      <p id={`${messageId}-error`} className="field__error">
                        {messageError}
                      </p>
                    )}
                  </div>
                </div>
                <div className="button-row journey-step__actions">
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => change(moveStep(values, i, -1))}
                    disabled={i === 0}
                    aria-label={`Move step ${i + 1} up`}
                  >
                    ↑ Up
                  </button>
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => change(moveStep(values, i, 1))}
                    disabled={i === values.steps.length - 1}
                    aria-label={`Move step ${i + 1} down`}
                  >
                    ↓ Down
                  </button>
                  <button
                    type="button"
                    className="button button--small button--danger-outline"
                    onClick={() => change(removeStep(values, i))}
                    disabled={values.steps.length <= 1}
                    aria-label={`Remove step ${i + 1}`}
                  >
                    Remove
                  </button>
                </div>
              </li>
            );
          })}
        </ol>
        {stepsError && (
          <p id={`${prefix}-steps-error`} className="field__error">
            {stepsError}
          </p>
        )}
        <button
          type="button"
          className="button"
          onClick={() => change(addStep(values, messages))}
          disabled={values.steps.length >= MAX_STEPS}
        >
          Add a step
        </button>
      </fieldset>

      <div className={`field${restError ? ' field--invalid' : ''}`}>
        <label htmlFor={restId}>Rest period (days)</label>
        <input
          id={restId}
          type="number"
          inputMode="numeric"
          min="0"
          step="1"
          value={values.restDays}
          onChange={(e) => change({ ...values, restDays: e.target.value })}
          aria-invalid={restError ? true : undefined}
          aria-describedby={`${restId}-hint${restError ? ` ${restId}-error` : ''}`}
        />
        <p id={`${restId}-hint`} className="field__hint">
          A client whose episode ended without an order is not emailed again until this many days have passed and they
          are at risk again.
        </p>
        {restError && (
          <p id={`${restId}-error`} className="field__error">
            {restError}
          </p>
        )}
      </div>

      {activeServerError && !serverRef && (
        <p className="form-error" role="alert">
          {serverMessage}
        </p>
      )}
      {activeServerError && serverRef && (
        <p className="sr-only" role="alert">
          {serverMessage}
        </p>
      )}

      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy || !changed}>
          {busy ? 'Saving…' : 'Save as a new version'}
        </button>
        {changed && (
          <button type="button" className="button" onClick={() => change(fromJourney(journey))} disabled={busy}>
            Discard changes
          </button>
        )}
        {!changed && <span className="muted small">No unsaved changes.</span>}
      </div>
    </form>
  );
}
