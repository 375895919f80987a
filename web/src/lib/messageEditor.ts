// The Messages page's editor state, pure: the draft of a message's templates, whether it
// differs from what was loaded, what a save and a preview send, which field an error of
// the server belongs to, inserting a `{{placeholder}}` at the cursor, and the wording of
// a message's steps and versions.

import type { MessageEdit, MessageTemplates } from '../api/messages/types';

/** What the editor's fields hold: the templates and the note saved with them ("what changed"). */
export interface MessageDraft extends MessageTemplates {
  note: string;
}

export type TemplateField = keyof MessageTemplates;
export type DraftField = keyof MessageDraft;

export const TEMPLATE_FIELDS: readonly TemplateField[] = ['subject', 'text', 'html', 'instructions'];

/** The fields the server may name in an error about a message, a save or a preview. */
export type MessageErrorField = DraftField | 'name' | 'userId' | 'baseVersion';

const ERROR_FIELDS: readonly MessageErrorField[] = [
  'subject',
  'text',
  'html',
  'instructions',
  'note',
  'name',
  'userId',
  'baseVersion',
];

/** The templates of a message (a missing or null one as empty). */
export function templatesOf(m: Partial<Record<TemplateField, string | null>>): MessageTemplates {
  return {
    subject: m.subject ?? '',
    text: m.text ?? '',
    html: m.html ?? '',
    instructions: m.instructions ?? '',
  };
}

/** A fresh draft of `m`'s templates; the note starts empty (it says what the next save changes). */
export function draftFrom(m: Partial<Record<TemplateField, string | null>>): MessageDraft {
  return { ...templatesOf(m), note: '' };
}

/** Whether the draft's templates differ from `base`'s (a note alone is nothing to save). */
export function draftChanged(draft: MessageDraft, base: Partial<Record<TemplateField, string | null>>): boolean {
  const b = templatesOf(base);
  return TEMPLATE_FIELDS.some((f) => draft[f] !== b[f]);
}

/** The body of POST /api/messages/:name/preview: the templates, not the note. */
export function previewBody(draft: MessageDraft): MessageTemplates {
  return templatesOf(draft);
}

/**
 * The body of PUT /api/messages/:name. Instructions are always sent (empty clears them);
 * the note only when there is one.
 */
export function saveBody(draft: MessageDraft, baseVersion: number): MessageEdit {
  const note = draft.note.trim();
  return { ...templatesOf(draft), ...(note ? { note } : {}), baseVersion };
}

/**
 * The field an error names (`subject`, `draft.html`, `html[3]`, `userId`…), or null when
 * it names none the page shows (the error is then shown for the whole form).
 */
export function messageFieldOf(field: string | null | undefined): MessageErrorField | null {
  if (!field) return null;
  const parts = field.split(/[.[\]]/).filter(Boolean);
  for (const p of parts) {
    if ((ERROR_FIELDS as readonly string[]).includes(p)) return p as MessageErrorField;
  }
  return null;
}

/** Whether an error's field is one of the editor's fields (the templates and the note). */
export function isDraftField(field: string | null | undefined): field is DraftField {
  return field === 'note' || (TEMPLATE_FIELDS as readonly (string | null | undefined)[]).includes(field);
}

/** `value` with `text` put in place of its selection [start, end), and where the caret goes after it. */
export function insertAt(value: string, start: number, end: number, text: string): { value: string; caret: number } {
  const s = Math.max(0, Math.min(start, value.length));
  const e = Math.max(s, Math.min(end, value.length));
  return { value: value.slice(0, s) + text + value.slice(e), caret: s + text.length };
}

/** How a template writes a placeholder. */
export function placeholderToken(name: string): string {
  return `{{${name}}}`;
}

/** "step 2", "steps 1 and 3", "steps 1, 2 and 3", or "not used by the journey". */
export function describeSteps(steps: readonly number[]): string {
  if (!steps.length) return 'not used by the journey';
  const sorted = [...steps].sort((a, b) => a - b);
  if (sorted.length === 1) return `step ${sorted[0]}`;
  return `steps ${sorted.slice(0, -1).join(', ')} and ${sorted[sorted.length - 1]}`;
}

/** "built in" for version 0, else "version N". */
export function describeVersion(version: number): string {
  return version === 0 ? 'built in' : `version ${version}`;
}

/**
 * The version a 409 says was saved in between: the current version as read again when
 * known, else the first number of the server's message, else null.
 */
export function conflictVersion(current: number | null | undefined, message: string): number | null {
  if (typeof current === 'number') return current;
  const m = /\d+/.exec(message);
  return m ? Number(m[0]) : null;
}
