// The journey editor's values: steps as the inputs hold them, validation that mirrors
// what the server accepts, the server's field names mapped to an input, and conversion
// to PUT /api/journey's body. Pure, tested directly.

import type { Journey, JourneyEdit } from '../api/journey/types';

export interface StepValues {
  /** Stable across reorders, so React keeps each row's inputs (and focus) with it. */
  key: number;
  delayDays: string;
  message: string;
}

export interface JourneyFormValues {
  steps: StepValues[];
  restDays: string;
}

export type StepField = 'delayDays' | 'message';

export interface JourneyFormErrors {
  restDays?: string;
  /** About the steps as a whole (none, too many). */
  steps?: string;
  /** By step index (0-based). */
  step?: Record<number, Partial<Record<StepField, string>>>;
}

/** The server's limit on steps (a journey is a short sequence, not a drip campaign). */
export const MAX_STEPS = 10;
export const MAX_DELAY_DAYS = 365;
export const MAX_REST_DAYS = 3650;

let nextKey = 1;
function newKey(): number {
  return nextKey++;
}

export function fromJourney(journey: Pick<Journey, 'steps' | 'restDays'>): JourneyFormValues {
  return {
    steps: journey.steps.map((s) => ({ key: newKey(), delayDays: String(s.delayDays), message: s.message })),
    restDays: String(journey.restDays),
  };
}

/**
 * A new step after the last: two weeks later, with the next of the server's `messages`
 * (the last one once they run out), or the next "winback-N" when it lists none.
 */
export function addStep(values: JourneyFormValues, messages: readonly string[] = []): JourneyFormValues {
  const n = values.steps.length;
  const message = messages.length ? (messages[Math.min(n, messages.length - 1)] ?? '') : `winback-${n + 1}`;
  return { ...values, steps: [...values.steps, { key: newKey(), delayDays: '14', message }] };
}

export function removeStep(values: JourneyFormValues, index: number): JourneyFormValues {
  return { ...values, steps: values.steps.filter((_, i) => i !== index) };
}

/** Moves step `index` by `by` places (−1 up, +1 down); out of range is a no-op. */
export function moveStep(values: JourneyFormValues, index: number, by: number): JourneyFormValues {
  const to = index + by;
  if (index < 0 || index >= values.steps.length || to < 0 || to >= values.steps.length) return values;
  const steps = [...values.steps];
  const [moved] = steps.splice(index, 1);
  if (moved) steps.splice(to, 0, moved);
  return { ...values, steps };
}

export function updateStep(values: JourneyFormValues, index: number, field: StepField, value: string) {
  return { ...values, steps: values.steps.map((s, i) => (i === index ? { ...s, [field]: value } : s)) };
}

const WHOLE = /^\d+$/;
/** The server's rule for a message (template set) name. */
const MESSAGE_NAME = /^[a-z0-9-]{1,64}$/;

function wholeDaysError(text: string, max: number): string | undefined {
  const t = text.trim();
  if (t === '') return 'Enter a number of days.';
  if (!WHOLE.test(t)) return 'Enter whole days (0 or more).';
  if (Number(t) > max) return `At most ${max} days.`;
  return undefined;
}

export function validateJourneyForm(values: JourneyFormValues): JourneyFormErrors {
  const errors: JourneyFormErrors = {};
  if (values.steps.length === 0) errors.steps = 'A journey needs at least one step.';
  if (values.steps.length > MAX_STEPS) errors.steps = `A journey has at most ${MAX_STEPS} steps.`;
  values.steps.forEach((s, i) => {
    const e: Partial<Record<StepField, string>> = {};
    const delay = wholeDaysError(s.delayDays, MAX_DELAY_DAYS);
    if (delay) e.delayDays = delay;
    const message = s.message.trim();
    if (!message) e.message = 'Name the message this step sends.';
    else if (!MESSAGE_NAME.test(message)) e.message = 'A message name is 1 to 64 of a-z, 0-9 and -.';
    if (e.delayDays || e.message) (errors.step ??= {})[i] = e;
  });
  const rest = wholeDaysError(values.restDays, MAX_REST_DAYS);
  if (rest) errors.restDays = rest;
  return errors;
}

export function hasJourneyErrors(errors: JourneyFormErrors): boolean {
  return Boolean(errors.restDays || errors.steps || (errors.step && Object.keys(errors.step).length));
}

export function toJourneyEdit(values: JourneyFormValues): JourneyEdit {
  return {
    steps: values.steps.map((s) => ({ delayDays: Number(s.delayDays.trim()), message: s.message.trim() })),
    restDays: Number(values.restDays.trim()),
  };
}

export type JourneyFieldRef =
  { kind: 'restDays' } | { kind: 'steps' } | { kind: 'step'; index: number; field: StepField | null };

/**
 * The input a server error's `field` is about: "restDays", "steps", "steps[1].delayDays",
 * "steps.1.message" or "steps[1]" (0-based). Unknown names give null (shown above the buttons).
 */
export function journeyFieldOf(field: string | undefined): JourneyFieldRef | null {
  if (!field) return null;
  if (field === 'restDays') return { kind: 'restDays' };
  if (field === 'steps') return { kind: 'steps' };
  const m = /^steps(?:\[(\d+)\]|\.(\d+))(?:\.(delayDays|message))?$/.exec(field);
  if (!m) return null;
  const index = Number(m[1] ?? m[2]);
  return { kind: 'step', index, field: (m[3] as StepField | undefined) ?? null };
}

/** The day of each step counted from the episode's start: delays 0, 10, 14 → days 0, 10, 24. */
export function stepDays(steps: { delayDays: number | string }[]): (number | null)[] {
  let day = 0;
  let known = true;
  return steps.map((s) => {
    const d =
      typeof s.delayDays === 'number' ? s.delayDays : WHOLE.test(s.delayDays.trim()) ? Number(s.delayDays) : NaN;
    if (!Number.isFinite(d)) known = false;
    else day += d;
    return known ? day : null;
  });
}

/** True when the values differ from the journey they were loaded from. */
export function journeyChanged(values: JourneyFormValues, journey: Pick<Journey, 'steps' | 'restDays'>): boolean {
  const a = values.steps.map((s) => [s.delayDays.trim(), s.message.trim()]);
  const b = journey.steps.map((s) => [String(s.delayDays), s.message]);
  return values.restDays.trim() !== String(journey.restDays) || JSON.stringify(a) !== JSON.stringify(b);
}
