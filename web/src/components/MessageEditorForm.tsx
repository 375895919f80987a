// A message's templates as fields (subject, text, HTML, LLM instructions) and the note
// saved with them, the placeholders the templates may use (a click inserts one at the
// cursor of the field last in focus), and Save. Errors come in by field, already worded.

import { useId, useLayoutEffect, useRef, type FormEvent, type ReactNode } from 'react';
import { insertAt, placeholderToken, type DraftField, type MessageDraft } from '../lib/messageEditor';

type FieldElement = HTMLInputElement | HTMLTextAreaElement;

const LABELS: Record<DraftField, string> = {
  subject: 'Subject',
  text: 'Text',
  html: 'HTML',
  instructions: 'LLM instructions',
  note: 'Note',
};

const HINTS: Partial<Record<DraftField, string>> = {
  text: 'The plain-text version every email carries.',
  html: 'The HTML version, rendered in the preview.',
  instructions: 'Optional. What the writer (an LLM, when one is configured) should keep in mind for this message.',
  note: 'Optional. What changed, shown in the history.',
};

/** The fields placeholders can be inserted into (the note is for people, not emails). */
const TEMPLATE_INPUTS: readonly DraftField[] = ['subject', 'text', 'html', 'instructions'];

export function MessageEditorForm({
  draft,
  onChange,
  errors,
  formError,
  placeholders,
  canSave,
  busy,
  onSave,
  footer,
}: {
  draft: MessageDraft;
  onChange: (draft: MessageDraft, field: DraftField) => void;
  /** An error to show by each field, worded. */
  errors: Partial<Record<DraftField, string>>;
  /** An error that names no field. */
  formError?: string | null;
  placeholders: string[];
  canSave: boolean;
  busy: boolean;
  onSave: () => void;
  /** Shown under Save: its notices and prompts. */
  footer?: ReactNode;
}) {
  const prefix = useId();
  const elements = useRef<Partial<Record<DraftField, FieldElement | null>>>({});
  const lastFocused = useRef<DraftField>('text');
  const pendingCaret = useRef<{ field: DraftField; caret: number } | null>(null);

  // After an insertion has been rendered, the cursor goes back to the field, after the placeholder.
  useLayoutEffect(() => {
    const pending = pendingCaret.current;
    if (!pending) return;
    pendingCaret.current = null;
    const el = elements.current[pending.field];
    if (!el) return;
    el.focus();
    el.setSelectionRange(pending.caret, pending.caret);
  });

  function insert(name: string) {
    const field = lastFocused.current;
    const el = elements.current[field];
    const value = draft[field];
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? start;
    const next = insertAt(value, start, end, placeholderToken(name));
    pendingCaret.current = { field, caret: next.caret };
    onChange({ ...draft, [field]: next.value }, field);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (canSave && !busy) onSave();
  }

  function field(name: DraftField, multiline: boolean, rows = 6) {
    const id = `${prefix}-${name}`;
    const error = errors[name];
    const hint = HINTS[name];
    const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
    const common = {
      id,
      value: draft[name],
      onFocus: () => {
        if (TEMPLATE_INPUTS.includes(name)) lastFocused.current = name;
      },
      'aria-invalid': error ? true : undefined,
      'aria-describedby': describedBy,
      spellCheck: name === 'html' ? false : undefined,
    };
    return (
      <div className={`field${error ? ' field--invalid' : ''}`}>
        <label htmlFor={id}>{LABELS[name]}</label>
        {multiline ? (
          <textarea
            {...common}
            ref={(el) => {
              elements.current[name] = el;
            }}
            rows={rows}
            className={name === 'html' ? 'message-form__code' : undefined}
            onChange={(e) => onChange({ ...draft, [name]: e.target.value }, name)}
          />
        ) : (
          <input
            {...common}
            ref={(el) => {
              elements.current[name] = el;
            }}
            type="text"
            autoComplete="off"
            onChange={(e) => onChange({ ...draft, [name]: e.target.value }, name)}
          />
        )}
        {hint && (
          <p id={`${id}-hint`} className="field__hint">
            {hint}
          </p>
        )}
        {error && (
          <p id={`${id}-error`} className="field__error" role="alert">
            {error}
          </p>
        )}
      </div>
    );
  }

  return (
    <form className="form message-form" onSubmit={submit} noValidate aria-busy={busy || undefined}>
      {placeholders.length > 0 && (
        <div className="message-form__placeholders" role="group" aria-labelledby={`${prefix}-ph`}>
          <p id={`${prefix}-ph`} className="field__hint">
            Placeholders: a click puts one at the cursor of the field you were in.
          </p>
          <ul className="message-form__tokens">
            {placeholders.map((p) => (
              <li key={p}>
                <button
                  type="button"
                  className="button button--small message-form__token"
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => insert(p)}
                  aria-label={`Insert ${placeholderToken(p)}`}
                >
                  <code>{placeholderToken(p)}</code>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {field('subject', false)}
      {field('text', true, 8)}
      {field('html', true, 12)}
      {field('instructions', true, 3)}
      {field('note', false)}
      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={!canSave || busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
      {footer}
    </form>
  );
}
