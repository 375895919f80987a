import { describe, expect, it } from 'vitest';
import { aFit, aFittedRun, aModelState, aRun, noModel } from '../../test/modelFixtures';
import { fitRunning, predictionsChanged } from './queries';

describe('reading the model while a fit runs', () => {
  it('counts a fit as running by `running` or by a lastRun still running', () => {
    expect(fitRunning(undefined)).toBe(false);
    expect(fitRunning(noModel())).toBe(false);
    expect(fitRunning({ ...noModel(), running: true })).toBe(true);
    expect(fitRunning({ ...noModel(), lastRun: aRun() })).toBe(true);
    expect(fitRunning(aModelState({ lastRun: aFittedRun() }))).toBe(false);
  });

  it('says the predictions changed when a run ends or another fit was stored, not otherwise', () => {
    const running = { ...noModel(), running: true, lastRun: aRun() };
    // The first reading: nothing to compare with.
    expect(predictionsChanged(undefined, aModelState())).toBe(false);
    // A run ended, fitted or not.
    expect(predictionsChanged(running, aModelState({ lastRun: aFittedRun() }))).toBe(true);
    expect(predictionsChanged(running, { ...noModel(), lastRun: aRun({ status: 'failed', error: 'x' }) })).toBe(true);
    // Still running, or nothing new.
    expect(predictionsChanged(running, running)).toBe(false);
    expect(predictionsChanged(aModelState(), aModelState())).toBe(false);
    // A fit stored between two readings (the schedule's, or the CLI's elsewhere).
    expect(predictionsChanged(aModelState(), aModelState({ fit: aFit({ fitId: 'f-2' }) }))).toBe(true);
    expect(predictionsChanged(noModel(), aModelState())).toBe(true);
  });
});
