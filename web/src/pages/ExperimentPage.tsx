import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { usePromoteVariant, useStopExperiment } from '../api/experiments/mutations';
import { experimentQuery } from '../api/experiments/queries';
import type { ExperimentDetail } from '../api/experiments/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { AllocationTable, ResultsChart, ResultsTable } from '../components/ExperimentResults';
import { errorMessage, Loading, NotAvailable, QueryError } from '../components/StatusViews';
import { allocationLabel, describeStatus, formatProbability, letterOf, metricLabel } from '../lib/experiments';
import { formatCount, formatDateTime, toSentence } from '../lib/format';
import { usePageTitle } from '../lib/usePageTitle';

export function ExperimentPage() {
  const { id = '' } = useParams();
  const experiment = useQuery(experimentQuery(id));
  usePageTitle(experiment.data ? `Experiment ${experiment.data.name}` : 'Experiment');

  return (
    <div className="page">
      <p className="small">
        <Link to="/experiments">← All experiments</Link>
      </p>
      {experiment.isPending ? (
        <Loading label="Loading the experiment…" />
      ) : experiment.isError ? (
        <QueryError
          title="Could not load the experiment"
          error={experiment.error}
          onRetry={() => void experiment.refetch()}
          notFound={
            <NotAvailable title="No such experiment">
              There is no experiment <code>{id}</code>. <Link to="/experiments">See all experiments</Link>.
            </NotAvailable>
          }
        />
      ) : (
        <ExperimentView key={experiment.data.experimentId} experiment={experiment.data} />
      )}
    </div>
  );
}

type Confirming = { kind: 'stop' } | { kind: 'promote'; variant: number | undefined; letter: string };

function ExperimentView({ experiment: e }: { experiment: ExperimentDetail }) {
  const stop = useStopExperiment(e.experimentId);
  const promote = usePromoteVariant(e.experimentId);
  const [confirming, setConfirming] = useState<Confirming | null>(null);
  const [status, setStatus] = useState<{ text: string; message?: string } | null>(null);
  const [chosen, setChosen] = useState(1);

  const running = e.status === 'running';
  const decision = e.decision;
  const winner = decision.state === 'winner' && decision.winner !== null ? decision.winner : null;
  const winnerLetter =
    winner === null ? null : (e.variants.find((v) => v.index === winner)?.letter ?? letterOf(winner));
  const promoted = e.promotedVariant !== null && e.promotedVariant !== undefined;
  const letterAt = (i: number) => e.variants.find((v) => v.index === i)?.letter ?? letterOf(i);
  const messageAt = (i: number) => e.variants.find((v) => v.index === i)?.message ?? '';

  function close() {
    stop.reset();
    promote.reset();
    setConfirming(null);
  }

  function confirm() {
    if (!confirming) return;
    if (confirming.kind === 'stop') {
      stop.mutate(undefined, {
        onSuccess: () => {
          setConfirming(null);
          setStatus({ text: `${e.name} is stopped: its variants are no longer sent.` });
        },
      });
      return;
    }
    promote.mutate(confirming.variant, {
      onSuccess: (p) => {
        setConfirming(null);
        setStatus({ text: `Saved as version ${p.message.version} of ${p.message.name}.`, message: p.message.name });
      },
    });
  }

  const busy = stop.isPending || promote.isPending;
  const mutationError =
    confirming?.kind === 'stop' ? stop.error : confirming?.kind === 'promote' ? promote.error : null;

  return (
    <>
      <header className="page__header">
        <h1>
          Experiment: {e.name}{' '}
          <span className={`badge ${running ? 'badge--info' : 'badge--muted'}`} data-testid="experiment-status">
            {describeStatus(e)}
          </span>
        </h1>
        <dl className="facts experiment-facts">
          <div>
            <dt>Message under test</dt>
            <dd>
              <Link to={`/messages/${encodeURIComponent(e.message)}`}>{e.message}</Link>
            </dd>
          </div>
          <div>
            <dt>Primary metric</dt>
            <dd>{metricLabel(e.metric)}</dd>
          </div>
          <div>
            <dt>Allocation</dt>
            <dd>{allocationLabel(e.allocation)}</dd>
          </div>
          <div>
            <dt>Created</dt>
            <dd>
              {formatDateTime(e.createdAt)}
              {e.createdBy ? ` by ${e.createdBy}` : ''}
            </dd>
          </div>
          {e.stoppedAt && (
            <div>
              <dt>Stopped</dt>
              <dd>{formatDateTime(e.stoppedAt)}</dd>
            </div>
          )}
          <div>
            <dt>Winner needs</dt>
            <dd>
              {formatProbability(e.threshold)} probability, {formatCount(e.minRecipients)} recipients per variant
            </dd>
          </div>
          <div>
            <dt>Planned recipients</dt>
            <dd>{formatCount(e.plannedRecipients)}</dd>
          </div>
        </dl>
      </header>

      <section
        className={`panel experiment-decision experiment-decision--${decision.state}`}
        aria-labelledby="decision-heading"
      >
        <h2 id="decision-heading">The decision</h2>
        <p className="experiment-decision__reason" data-testid="decision-reason">
          {toSentence(decision.reason)}
        </p>
        <h3>How the winner is decided</h3>
        <p data-testid="decision-method">{e.method}</p>

        <div className="button-row experiment-actions">
          {running && (
            <button
              type="button"
              className="button button--danger-outline"
              onClick={() => setConfirming({ kind: 'stop' })}
            >
              Stop
            </button>
          )}
          {!promoted && (
            <button
              type="button"
              className="button button--primary"
              disabled={winnerLetter === null}
              aria-describedby={winnerLetter === null ? 'promote-hint' : undefined}
              onClick={() =>
                winnerLetter && setConfirming({ kind: 'promote', variant: undefined, letter: winnerLetter })
              }
            >
              {winnerLetter ? `Promote ${winnerLetter}` : 'Promote the winner'}
            </button>
          )}
          {!promoted && winnerLetter === null && (
            <p id="promote-hint" className="muted small">
              No winner is declared yet{running ? '' : ': choose a variant to promote below'}.
            </p>
          )}
        </div>
        {!running && !promoted && (
          <div className="toolbar experiment-promote-any">
            <div className="field">
              <label htmlFor="promote-variant">Variant to promote</label>
              <select id="promote-variant" value={chosen} onChange={(ev) => setChosen(Number(ev.target.value))}>
                {e.variants.map((v) => (
                  <option key={v.index} value={v.index}>
                    {v.letter} · {v.message}
                  </option>
                ))}
              </select>
            </div>
            <button
              type="button"
              className="button"
              onClick={() => setConfirming({ kind: 'promote', variant: chosen, letter: letterAt(chosen) })}
            >
              Promote…
            </button>
          </div>
        )}
        {promoted && (
          <p className="small" data-testid="promoted-note">
            {letterAt(e.promotedVariant!)} ({messageAt(e.promotedVariant!)}) was promoted: its wording is a version of{' '}
            {e.message}.
          </p>
        )}
        <div role="status" aria-live="polite" className="experiment-status">
          {status && (
            <p>
              {status.text}{' '}
              {status.message && <Link to={`/messages/${encodeURIComponent(status.message)}`}>Open the message</Link>}
            </p>
          )}
        </div>
      </section>

      <section className="panel" aria-labelledby="results-heading">
        <h2 id="results-heading">Results</h2>
        <ResultsTable experiment={e} />
        <ResultsChart experiment={e} />
      </section>

      <section className="panel" aria-labelledby="allocations-heading">
        <h2 id="allocations-heading">Allocation over time</h2>
        <AllocationTable allocations={e.allocations} letters={e.variants.map((v) => v.letter)} />
      </section>

      {confirming && (
        <ConfirmDialog
          title={
            confirming.kind === 'stop'
              ? `Stop ${e.name}?`
              : `Save ${confirming.letter}'s wording as the new version of ${e.message}?`
          }
          confirmLabel={confirming.kind === 'stop' ? 'Stop' : `Promote ${confirming.letter}`}
          busy={busy}
          error={mutationError ? toSentence(errorMessage(mutationError)) : null}
          onConfirm={confirm}
          onCancel={close}
        >
          {confirming.kind === 'stop' ? (
            <p>
              Its variants are no longer sent once it stops; the results stay here. A stopped experiment cannot run
              again.
            </p>
          ) : (
            <p>
              The subject, text and HTML of {confirming.letter} ({messageAt(confirming.variant ?? winner ?? 0)}) become
              the next version of {e.message}, used for its next emails.
            </p>
          )}
        </ConfirmDialog>
      )}
    </>
  );
}
