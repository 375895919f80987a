import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import {
  EMPTY_TEST_EMAIL_FORM,
  hasTestEmailErrors,
  stepChoices,
  testEmailProblem,
  testEmailSentence,
  toTestEmailRequest,
  validateTestEmail,
} from './testEmail';

describe('testEmail', () => {
  it('offers the journey’s steps, and step 1 alone while it is unknown', () => {
    expect(stepChoices(3)).toEqual([1, 2, 3]);
    expect(stepChoices(undefined)).toEqual([1]);
    expect(stepChoices(0)).toEqual([1]);
  });

  it('needs an address and a step of the journey', () => {
    expect(validateTestEmail(EMPTY_TEST_EMAIL_FORM, 3)).toEqual({ to: 'Enter the address to send the test to.' });
    expect(validateTestEmail({ ...EMPTY_TEST_EMAIL_FORM, to: 'me' }, 3).to).toBe(
      'Enter an email address like you@example.com.',
    );
    expect(validateTestEmail({ to: 'me@loom.example', userId: '', step: '4' }, 3)).toEqual({
      step: 'Choose a step of the journey.',
    });
    expect(hasTestEmailErrors(validateTestEmail({ to: ' me@loom.example ', userId: '', step: '3' }, 3))).toBe(false);
  });

  it('sends the client only when one is named', () => {
    expect(toTestEmailRequest({ to: ' me@loom.example ', userId: '  ', step: '1' })).toEqual({
      to: 'me@loom.example',
      step: 1,
    });
    expect(toTestEmailRequest({ to: 'me@loom.example', userId: ' u-7 ', step: '2' })).toEqual({
      to: 'me@loom.example',
      userId: 'u-7',
      step: 2,
    });
  });

  it('says what was sent, for whom and which step', () => {
    expect(
      testEmailSentence({
        to: 'me@loom.example',
        subject: '[Test] We miss you, Grace',
        step: 2,
        steps: 3,
        client: { userId: 'u-7', name: 'Grace Hopper', sample: false },
        delivery: 'accepted',
      }),
    ).toBe('Sent to me@loom.example: “[Test] We miss you, Grace” (rendered for Grace Hopper, step 2 of 3)');
  });

  it('shows a 400 by the input it names, and one naming no input above the button', () => {
    expect(testEmailProblem(new ApiError(400, 'invalid_argument', 'to must be an email address', 'to'))).toEqual({
      message: 'To must be an email address.',
      field: 'to',
    });
    expect(testEmailProblem(new ApiError(400, 'invalid_argument', 'step must be 1 to 3', 'step')).field).toBe('step');
    expect(testEmailProblem(new ApiError(400, 'invalid_argument', 'bad body', 'body'))).toEqual({
      message: 'Bad body.',
    });
  });

  it('shows an unknown client by the client input, and a missing route as such', () => {
    expect(testEmailProblem(new ApiError(404, 'not_found', 'no user u-404', 'userId'))).toEqual({
      message: 'No client with that id.',
      field: 'userId',
    });
    expect(testEmailProblem(new ApiError(404, 'not_found', 'no route for POST /api/test-email'))).toEqual({
      message: 'This server cannot send test emails yet.',
    });
  });

  it('names the missing setting of a 409, the wait of a 429 and the mailer’s refusal of a 502', () => {
    expect(
      testEmailProblem(
        new ApiError(409, 'failed_precondition', 'sending needs senderEmail, postalAddress', 'senderEmail'),
      ),
    ).toEqual({ message: 'Sending needs senderEmail, postalAddress.', setting: 'senderEmail' });
    expect(testEmailProblem(new ApiError(429, 'rate_limited', 'slow down', undefined, 42))).toEqual({
      message: 'Too many test emails; try again in 42 s.',
    });
    expect(testEmailProblem(new ApiError(429, 'rate_limited', 'slow down')).message).toBe(
      'Too many test emails; try again in a moment.',
    );
    expect(testEmailProblem(new ApiError(502, 'unavailable', 'smtp: 550 relay denied'))).toEqual({
      message: 'The mailer refused the test: Smtp: 550 relay denied.',
    });
    expect(testEmailProblem(new Error('boom')).message).toBe('Boom.');
  });
});
