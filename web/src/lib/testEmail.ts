// "Send a test to me": the form's values and checks, the POST /api/test-email body, the
// sentence for a sent test, and where each refusal is shown. Pure, tested directly.

import type { TestEmailRequest, TestEmailResult } from '../api/settings/types';
import { isApiError } from '../api/client';
import { isValidEmail } from './clientForm';
import { toSentence } from './format';

export interface TestEmailFormValues {
  /** The address to send the test to. */
  to: string;
  /** A client's id to render it for; '' for the built-in sample client. */
  userId: string;
  /** The journey step, "1" to the number of steps. */
  step: string;
}

export type TestEmailField = keyof TestEmailFormValues;
export type TestEmailFormErrors = Partial<Record<TestEmailField, string>>;

export const TEST_EMAIL_FIELDS: readonly TestEmailField[] = ['to', 'userId', 'step'];

export const EMPTY_TEST_EMAIL_FORM: TestEmailFormValues = { to: '', userId: '', step: '1' };

/** The steps to choose from: 1 to `steps`, and step 1 alone while the journey is unknown. */
export function stepChoices(steps: number | undefined): number[] {
  const n = steps && Number.isInteger(steps) && steps > 0 ? steps : 1;
  return Array.from({ length: n }, (_, i) => i + 1);
}

export function validateTestEmail(v: TestEmailFormValues, steps?: number): TestEmailFormErrors {
  const e: TestEmailFormErrors = {};
  const to = v.to.trim();
  if (!to) e.to = 'Enter the address to send the test to.';
  else if (!isValidEmail(to)) e.to = 'Enter an email address like you@example.com.';
  if (!stepChoices(steps).includes(Number(v.step))) e.step = 'Choose a step of the journey.';
  return e;
}

export function hasTestEmailErrors(e: TestEmailFormErrors): boolean {
  return Object.values(e).some(Boolean);
}

/** The POST body: the client only when one is named. */
export function toTestEmailRequest(v: TestEmailFormValues): TestEmailRequest {
  const userId = v.userId.trim();
  return { to: v.to.trim(), ...(userId ? { userId } : {}), step: Number(v.step) };
}

/** "Sent to ada@example.com: “We miss you” (rendered for Ada Lovelace, step 2 of 3)". */
export function testEmailSentence(r: TestEmailResult): string {
  return `Sent to ${r.to}: “${r.subject}” (rendered for ${r.client.name}, step ${r.step} of ${r.steps})`;
}

/** How a refused test is shown. */
export interface TestEmailProblem {
  message: string;
  /** The input it is shown by, when it is about one. */
  field?: TestEmailField;
  /** A 409: the first setting sending needs that is not set (its JSON name), to link to. */
  setting?: string;
}

/** Where and how a refusal of POST /api/test-email is shown. */
export function testEmailProblem(error: unknown): TestEmailProblem {
  if (!isApiError(error)) {
    return { message: error instanceof Error && error.message ? toSentence(error.message) : 'The test was not sent.' };
  }
  const field = (TEST_EMAIL_FIELDS as readonly string[]).includes(error.field ?? '')
    ? (error.field as TestEmailField)
    : undefined;
  switch (error.status) {
    case 400:
      return { message: toSentence(error.message), ...(field ? { field } : {}) };
    case 404:
      // A 404 naming no field is the route itself: a server from before the test sends.
      return field === 'userId'
        ? { message: 'No client with that id.', field }
        : { message: 'This server cannot send test emails yet.' };
    case 409:
      return { message: toSentence(error.message), ...(error.field ? { setting: error.field } : {}) };
    case 429:
      return {
        message:
          error.retryAfter !== undefined
            ? `Too many test emails; try again in ${error.retryAfter} s.`
            : 'Too many test emails; try again in a moment.',
      };
    case 502:
      return { message: `The mailer refused the test: ${toSentence(error.message)}` };
    default:
      return { message: toSentence(error.message), ...(field ? { field } : {}) };
  }
}
