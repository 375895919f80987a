import { describe, expect, it } from 'vitest';
import {
  addStep,
  fromJourney,
  hasJourneyErrors,
  journeyChanged,
  journeyFieldOf,
  moveStep,
  removeStep,
  stepDays,
  toJourneyEdit,
  updateStep,
  validateJourneyForm,
} from './journeyForm';

const journey = {
  steps: [
    { delayDays: 0, message: 'winback-1' },
    { delayDays: 10, message: 'winback-2' },
    { delayDays: 14, message: 'winback-3' },
  ],
  restDays: 90,
};

describe('journeyForm', () => {
  it('round-trips a journey through the form unchanged', () => {
    const values = fromJourney(journey);
    expect(toJourneyEdit(values)).toEqual(journey);
    expect(journeyChanged(values, journey)).toBe(false);
    expect(hasJourneyErrors(validateJourneyForm(values))).toBe(false);
  });

  it('moves a step up and down, keeping each step’s key with it, and ignores moves out of range', () => {
    const values = fromJourney(journey);
    const keys = values.steps.map((s) => s.key);
    const moved = moveStep(values, 2, -1);
    expect(moved.steps.map((s) => s.message)).toEqual(['winback-1', 'winback-3', 'winback-2']);
    expect(moved.steps.map((s) => s.key)).toEqual([keys[0], keys[2], keys[1]]);
    expect(moveStep(values, 0, -1)).toBe(values);
    expect(moveStep(values, 2, 1)).toBe(values);
    expect(journeyChanged(moved, journey)).toBe(true);
  });

  it('adds a step two weeks after the last and removes one', () => {
    const added = addStep(fromJourney(journey));
    expect(toJourneyEdit(added).steps[3]).toEqual({ delayDays: 14, message: 'winback-4' });
    expect(new Set(added.steps.map((s) => s.key)).size).toBe(4);
    expect(toJourneyEdit(removeStep(added, 0)).steps.map((s) => s.message)).toEqual([
      'winback-2',
      'winback-3',
      'winback-4',
    ]);
  });

  it('gives an added step the next of the server’s messages, then the last', () => {
    const messages = ['winback-1', 'winback-2', 'winback-3'];
    const two = fromJourney({ ...journey, steps: journey.steps.slice(0, 2) });
    expect(toJourneyEdit(addStep(two, messages)).steps[2]?.message).toBe('winback-3');
    expect(toJourneyEdit(addStep(fromJourney(journey), messages)).steps[3]?.message).toBe('winback-3');
  });

  it('refuses a message name the server would refuse', () => {
    const bad = updateStep(fromJourney(journey), 0, 'message', 'Win Back!');
    expect(validateJourneyForm(bad).step?.[0]?.message).toBe('A message name is 1 to 64 of a-z, 0-9 and -.');
    expect(validateJourneyForm(updateStep(bad, 0, 'message', 'a'.repeat(65))).step?.[0]?.message).toBeDefined();
  });

  it('counts each step’s day from the start of the episode', () => {
    expect(stepDays(journey.steps)).toEqual([0, 10, 24]);
    expect(stepDays([{ delayDays: '3' }, { delayDays: 'x' }, { delayDays: '1' }])).toEqual([3, null, null]);
  });

  it('refuses what the server would refuse', () => {
    let values = fromJourney(journey);
    values = updateStep(values, 1, 'delayDays', '-1');
    values = updateStep(values, 2, 'message', '  ');
    values = { ...values, restDays: '' };
    const errors = validateJourneyForm(values);
    expect(errors.step?.[1]?.delayDays).toBe('Enter whole days (0 or more).');
    expect(errors.step?.[2]?.message).toBe('Name the message this step sends.');
    expect(errors.step?.[0]).toBeUndefined();
    expect(errors.restDays).toBe('Enter a number of days.');
    expect(validateJourneyForm({ steps: [], restDays: '90' }).steps).toBe('A journey needs at least one step.');
    expect(validateJourneyForm(updateStep(fromJourney(journey), 0, 'delayDays', '400')).step?.[0]?.delayDays).toBe(
      'At most 365 days.',
    );
  });

  it('maps the server’s field names to an input', () => {
    expect(journeyFieldOf('restDays')).toEqual({ kind: 'restDays' });
    expect(journeyFieldOf('steps')).toEqual({ kind: 'steps' });
    expect(journeyFieldOf('steps[1].delayDays')).toEqual({ kind: 'step', index: 1, field: 'delayDays' });
    expect(journeyFieldOf('steps.2.message')).toEqual({ kind: 'step', index: 2, field: 'message' });
    expect(journeyFieldOf('steps[0]')).toEqual({ kind: 'step', index: 0, field: null });
    expect(journeyFieldOf('exits')).toBeNull();
    expect(journeyFieldOf(undefined)).toBeNull();
  });
});
