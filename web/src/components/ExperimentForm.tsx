// A new experiment: its name, the message under test (variant A, fixed) against one to
// four other messages, each previewable as it is stored, the primary metric, the
// allocation and the advanced settings. The page sends the body and hands back a refusal,
// which is shown at the field it names.

import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { isApiError } from '../api/client';
import type { Experiment, ExperimentMetric, NewExperiment } from '../api/experiments/types';
import {
  ALLOCATIONS,
  checkDraft,
  createBody,
  errorTarget,
  firstOther,
  letterOf,
  MAX_VARIANTS,
  METRICS,
  MIN_VARIANTS,
  newDraft,
  type ExperimentDraft,
} from '../lib/experiments';
import { toSentence } from '../lib/format';
import { errorMessage } from './StatusViews';

/** The key an error is kept under: a top-level field, or `variants[i].message|weight`. */
function errorKey(field: string | null | undefined): string | null {
  const t = errorTarget(field);
  if (!t) return null;
  return t.field === 'variant' ? `variants[${t.index}].${t.part}` : t.field;
}

export function ExperimentForm({
  messages,
  running,
  busy,
  error,
  onCreate,
  renderPreview,
}: {
  /** The names of the messages an experiment may send. */
  messages: string[];
  /** The experiment running now, if one is: the form is disabled while it runs. */
  running: Experiment | null;
  busy: boolean;
  /** The last refusal of a create. */
  error: unknown;
  onCreate: (body: NewExperiment) => void;
  /** A variant's message rendered as stored. */
  renderPreview: (message: string, letter: string) => ReactNode;
}) {
  const id = useId();
  const [draft, setDraft] = useState<ExperimentDraft>(() => newDraft(messages));
  const [local, setLocal] = useState<{ field: string; message: string } | null>(null);
  // The refusal being shown; a change of its field clears it.
  const [shownError, setShownError] = useState<unknown>(null);
  const [lastError, setLastError] = useState<unknown>(error);
  const [previews, setPreviews] = useState<ReadonlySet<number>>(new Set());
  if (error !== lastError) {
    setLastError(error);
    setShownError(error);
  }

  const fixed = draft.allocation === 'fixed';
  const count = draft.others.length + 1;

  const errors: Record<string, string> = {};
  let formError: string | null = null;
  if (local) errors[local.field] = local.message;
  if (shownError) {
    const key = isApiError(shownError) ? errorKey(shownError.field) : null;
    if (isApiError(shownError) && shownError.status === 409 && !key) {
      formError = `Another experiment is running: only one runs at a time. ${toSentence(shownError.message)}`;
    } else if (key) {
      errors[key] ??= toSentence((shownError as Error).message);
    } else {
      formError = toSentence(errorMessage(shownError));
    }
  }

  function update(next: Partial<ExperimentDraft>, ...fields: string[]) {
    setDraft((d) => ({ ...d, ...next }));
    if (local && fields.includes(local.field)) setLocal(null);
    const key = isApiError(shownError) ? errorKey(shownError.field) : null;
    if (shownError && (!key || fields.includes(key))) setShownError(null);
  }

  function setOther(i: number, patch: Partial<ExperimentDraft['others'][number]>, field: string) {
    update({ others: draft.others.map((v, j) => (j === i ? { ...v, ...patch } : v)) }, field);
  }

  function togglePreview(index: number) {
    setPreviews((s) => {
      const next = new Set(s);
      if (!next.delete(index)) next.add(index);
      return next;
    });
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const problem = checkDraft(draft);
    setLocal(problem);
    setShownError(null);
    if (!problem) onCreate(createBody(draft));
  }

  const fieldProps = (key: string, hint?: boolean) => {
    const err = errors[key];
    const ids = [hint ? `${id}-${key}-hint` : null, err ? `${id}-${key}-error` : null].filter(Boolean).join(' ');
    return {
      id: `${id}-${key}`,
      'aria-invalid': err ? true : undefined,
      'aria-describedby': ids || undefined,
    };
  };
  const fieldError = (key: string) =>
    errors[key] ? (
      <p id={`${id}-${key}-error`} className="field__error" role="alert">
        {errors[key]}
      </p>
    ) : null;
  const fieldClass = (key: string, extra = '') => `field${extra}${errors[key] ? ' field--invalid' : ''}`;

  const variantRow = (index: number, message: ReactNode, weight: string, onWeight: (w: string) => void) => {
    const letter = letterOf(index);
    const weightKey = `variants[${index}].weight`;
    return (
      <li key={index} className="experiment-variant" data-testid={`variant-${letter}`}>
        <div className="experiment-variant__row">
          <span className="experiment-variant__letter" aria-hidden="true">
            {letter}
          </span>
          {message}
          {fixed && (
            <div className={fieldClass(weightKey, ' experiment-variant__weight')}>
              <label htmlFor={`${id}-${weightKey}`}>Variant {letter} weight</label>
              <input
                {...fieldProps(weightKey)}
                type="number"
                min={0}
                step="any"
                inputMode="decimal"
                value={weight}
                onChange={(e) => onWeight(e.target.value)}
              />
              {fieldError(weightKey)}
            </div>
          )}
          <div className="experiment-variant__actions">
            <button
              type="button"
              className="button button--small"
              aria-expanded={previews.has(index)}
              aria-controls={`${id}-preview-${index}`}
              onClick={() => togglePreview(index)}
            >
              {previews.has(index) ? `Hide preview of ${letter}` : `Preview ${letter}`}
            </button>
            {index >= MIN_VARIANTS && (
              <button
                type="button"
                className="button button--small button--danger-outline"
                onClick={() => {
                  setPreviews(new Set());
                  update({ others: draft.others.filter((_, j) => j !== index - 1) }, 'variants');
                }}
              >
                Remove {letter}
              </button>
            )}
          </div>
        </div>
        {previews.has(index) && (
          <div id={`${id}-preview-${index}`} className="experiment-variant__preview">
            {renderPreview(index === 0 ? draft.message : (draft.others[index - 1]?.message ?? ''), letter)}
          </div>
        )}
      </li>
    );
  };

  const options = messages.map((m) => (
    <option key={m} value={m}>
      {m}
    </option>
  ));

  return (
    <form className="form experiment-form" onSubmit={submit} noValidate aria-busy={busy || undefined}>
      {running && (
        <p className="note note--caution" role="note" data-testid="experiment-running-note">
          <Link to={`/experiments/${encodeURIComponent(running.experimentId)}`}>{running.name}</Link> is running. One
          experiment runs at a time: stop it to start another.
        </p>
      )}
      <fieldset className="experiment-form__fields" disabled={!!running || busy}>
        <legend className="sr-only">New experiment</legend>
        <div className={fieldClass('name')}>
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            {...fieldProps('name', true)}
            type="text"
            autoComplete="off"
            value={draft.name}
            onChange={(e) => update({ name: e.target.value }, 'name')}
          />
          <p id={`${id}-name-hint`} className="field__hint">
            What it tries, e.g. “Shorter subject”.
          </p>
          {fieldError('name')}
        </div>

        <div className={fieldClass('message')}>
          <label htmlFor={`${id}-message`}>Message under test</label>
          <select
            {...fieldProps('message', true)}
            value={draft.message}
            onChange={(e) => {
              const message = e.target.value;
              update({ message }, 'message', 'variants[0].message');
            }}
          >
            {options}
          </select>
          <p id={`${id}-message-hint`} className="field__hint">
            Variant A. A promoted variant’s wording is saved as its new version.
          </p>
          {fieldError('message')}
        </div>

        <fieldset
          className={`experiment-variants${errors.variants ? ' field--invalid' : ''}`}
          aria-describedby={errors.variants ? `${id}-variants-error` : undefined}
        >
          <legend>Variants</legend>
          <p className="field__hint">
            {MIN_VARIANTS} to {MAX_VARIANTS} messages.{' '}
            {fixed ? 'Each is sent in proportion to its weight.' : 'The bandit sets their shares.'}
          </p>
          <ol className="experiment-variants__list">
            {variantRow(
              0,
              <div className={fieldClass('variants[0].message', ' experiment-variant__message')}>
                <p className="experiment-variant__fixed" data-testid="variant-a-message">
                  <span className="muted small">Variant A message</span> <code>{draft.message}</code>{' '}
                  <span className="muted small">(the message under test)</span>
                </p>
                {fieldError('variants[0].message')}
              </div>,
              draft.weightA,
              (w) => update({ weightA: w }, 'variants[0].weight'),
            )}
            {draft.others.map((v, i) => {
              const index = i + 1;
              const key = `variants[${index}].message`;
              return variantRow(
                index,
                <div className={fieldClass(key, ' experiment-variant__message')}>
                  <label htmlFor={`${id}-${key}`}>Variant {letterOf(index)} message</label>
                  <select
                    {...fieldProps(key)}
                    value={v.message}
                    onChange={(e) => setOther(i, { message: e.target.value }, key)}
                  >
                    {options}
                  </select>
                  {fieldError(key)}
                </div>,
                v.weight,
                (w) => setOther(i, { weight: w }, `variants[${index}].weight`),
              );
            })}
          </ol>
          {count < MAX_VARIANTS && (
            <button
              type="button"
              className="button button--small"
              onClick={() =>
                update(
                  { others: [...draft.others, { message: firstOther(messages, draft.message), weight: '1' }] },
                  'variants',
                )
              }
            >
              Add variant {letterOf(count)}
            </button>
          )}
          {errors.variants && (
            <p id={`${id}-variants-error`} className="field__error" role="alert">
              {errors.variants}
            </p>
          )}
        </fieldset>

        <div className={fieldClass('metric')}>
          <label htmlFor={`${id}-metric`}>Primary metric</label>
          <select
            {...fieldProps('metric')}
            value={draft.metric}
            onChange={(e) => update({ metric: e.target.value as ExperimentMetric }, 'metric')}
          >
            {METRICS.map((m) => (
              <option key={m.value} value={m.value}>
                {m.label}
              </option>
            ))}
          </select>
          {fieldError('metric')}
        </div>

        <fieldset
          className={`experiment-allocation${errors.allocation ? ' field--invalid' : ''}`}
          aria-describedby={errors.allocation ? `${id}-allocation-error` : undefined}
        >
          <legend>Allocation</legend>
          {ALLOCATIONS.map((a) => (
            <div key={a.value} className="field field--check">
              <input
                id={`${id}-allocation-${a.value}`}
                type="radio"
                name={`${id}-allocation`}
                value={a.value}
                checked={draft.allocation === a.value}
                onChange={() => update({ allocation: a.value }, 'allocation')}
                aria-describedby={`${id}-allocation-${a.value}-hint`}
              />
              <label htmlFor={`${id}-allocation-${a.value}`}>{a.label}</label>
              <p id={`${id}-allocation-${a.value}-hint`} className="field__hint">
                {a.explanation}
              </p>
            </div>
          ))}
          {errors.allocation && (
            <p id={`${id}-allocation-error`} className="field__error" role="alert">
              {errors.allocation}
            </p>
          )}
        </fieldset>

        <details
          className="experiment-advanced"
          open={!!(errors.minRecipients || errors.threshold || errors.plannedRecipients) || undefined}
        >
          <summary>Advanced</summary>
          <div className={fieldClass('minRecipients')}>
            <label htmlFor={`${id}-minRecipients`}>Minimum recipients per variant</label>
            <input
              {...fieldProps('minRecipients', true)}
              type="number"
              min={1}
              step={1}
              inputMode="numeric"
              value={draft.minRecipients}
              onChange={(e) => update({ minRecipients: e.target.value }, 'minRecipients')}
            />
            <p id={`${id}-minRecipients-hint`} className="field__hint">
              No winner is declared before every variant has this many.
            </p>
            {fieldError('minRecipients')}
          </div>
          <div className={fieldClass('threshold')}>
            <label htmlFor={`${id}-threshold`}>Probability a winner needs (%)</label>
            <input
              {...fieldProps('threshold', true)}
              type="number"
              min={50}
              max={99.9}
              step="any"
              inputMode="decimal"
              value={draft.thresholdPercent}
              onChange={(e) => update({ thresholdPercent: e.target.value }, 'threshold')}
            />
            <p id={`${id}-threshold-hint`} className="field__hint">
              A variant wins once its probability of being best reaches this.
            </p>
            {fieldError('threshold')}
          </div>
          <div className={fieldClass('plannedRecipients')}>
            <label htmlFor={`${id}-plannedRecipients`}>Planned recipients</label>
            <input
              {...fieldProps('plannedRecipients', true)}
              type="number"
              min={1}
              step={1}
              inputMode="numeric"
              value={draft.plannedRecipients}
              onChange={(e) => update({ plannedRecipients: e.target.value }, 'plannedRecipients')}
            />
            <p id={`${id}-plannedRecipients-hint`} className="field__hint">
              How many clients the experiment is meant to reach in all.
            </p>
            {fieldError('plannedRecipients')}
          </div>
        </details>

        <div className="form__actions">
          <button type="submit" className="button button--primary">
            {busy ? 'Starting…' : 'Start the experiment'}
          </button>
        </div>
      </fieldset>
      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}
    </form>
  );
}
