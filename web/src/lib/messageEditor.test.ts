import { describe, expect, it } from 'vitest';
import {
  conflictVersion,
  describeSteps,
  describeVersion,
  draftChanged,
  draftFrom,
  insertAt,
  isDraftField,
  messageFieldOf,
  placeholderToken,
  previewBody,
  saveBody,
  templatesOf,
} from './messageEditor';

const message = { subject: 'Hi {{firstName}}', text: 'Hello', html: '<p>Hello</p>', instructions: null };

describe('the message draft', () => {
  it('starts from the templates, with empty instructions for none and an empty note', () => {
    expect(draftFrom(message)).toEqual({
      subject: 'Hi {{firstName}}',
      text: 'Hello',
      html: '<p>Hello</p>',
      instructions: '',
      note: '',
    });
    expect(templatesOf({})).toEqual({ subject: '', text: '', html: '', instructions: '' });
  });

  it('has changed when a template differs, not when only the note does', () => {
    const draft = draftFrom(message);
    expect(draftChanged(draft, message)).toBe(false);
    expect(draftChanged({ ...draft, note: 'why' }, message)).toBe(false);
    expect(draftChanged({ ...draft, html: '<p>Hi</p>' }, message)).toBe(true);
    expect(draftChanged({ ...draft, instructions: 'Be brief' }, message)).toBe(true);
  });

  it('previews the templates without the note', () => {
    expect(previewBody({ ...draftFrom(message), note: 'x' })).toEqual({
      subject: 'Hi {{firstName}}',
      text: 'Hello',
      html: '<p>Hello</p>',
      instructions: '',
    });
  });

  it('saves the templates with the base version, and the note only when there is one', () => {
    expect(saveBody(draftFrom(message), 3)).toEqual({
      subject: 'Hi {{firstName}}',
      text: 'Hello',
      html: '<p>Hello</p>',
      instructions: '',
      baseVersion: 3,
    });
    expect(saveBody({ ...draftFrom(message), note: '  Shorter  ' }, 0)).toMatchObject({
      note: 'Shorter',
      baseVersion: 0,
    });
  });
});

describe('messageFieldOf', () => {
  it('finds the field an error names, however it is written', () => {
    expect(messageFieldOf('subject')).toBe('subject');
    expect(messageFieldOf('draft.html')).toBe('html');
    expect(messageFieldOf('text[2]')).toBe('text');
    expect(messageFieldOf('userId')).toBe('userId');
    expect(messageFieldOf('baseVersion')).toBe('baseVersion');
  });

  it('tells the editor’s fields from the others', () => {
    expect(['subject', 'text', 'html', 'instructions', 'note'].every(isDraftField)).toBe(true);
    expect(isDraftField('userId')).toBe(false);
    expect(isDraftField('baseVersion')).toBe(false);
    expect(isDraftField(null)).toBe(false);
  });

  it('is null for no field or one the page does not show', () => {
    expect(messageFieldOf(undefined)).toBeNull();
    expect(messageFieldOf('')).toBeNull();
    expect(messageFieldOf('template')).toBeNull();
  });
});

describe('insertAt', () => {
  it('replaces the selection and puts the caret after the insertion', () => {
    expect(insertAt('Hello !', 6, 6, placeholderToken('firstName'))).toEqual({
      value: 'Hello {{firstName}}!',
      caret: 19,
    });
    expect(insertAt('Hello you', 6, 9, '{{x}}')).toEqual({ value: 'Hello {{x}}', caret: 11 });
  });

  it('keeps a selection out of range within the value', () => {
    expect(insertAt('ab', 10, 12, '{{x}}')).toEqual({ value: 'ab{{x}}', caret: 7 });
    expect(insertAt('ab', 2, 1, '-')).toEqual({ value: 'ab-', caret: 3 });
  });
});

describe('wording', () => {
  it('says which steps send a message', () => {
    expect(describeSteps([])).toBe('not used by the journey');
    expect(describeSteps([2])).toBe('step 2');
    expect(describeSteps([3, 1])).toBe('steps 1 and 3');
    expect(describeSteps([1, 2, 3])).toBe('steps 1, 2 and 3');
  });

  it('calls version 0 built in', () => {
    expect(describeVersion(0)).toBe('built in');
    expect(describeVersion(4)).toBe('version 4');
  });

  it('finds the version a 409 is about', () => {
    expect(conflictVersion(5, 'version 4 was saved since')).toBe(5);
    expect(conflictVersion(null, 'version 4 was saved since')).toBe(4);
    expect(conflictVersion(undefined, 'stale')).toBeNull();
  });
});
