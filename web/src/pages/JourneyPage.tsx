import { useQuery } from '@tanstack/react-query';
import { effectivenessQuery } from '../api/effectiveness/queries';
import { useSaveJourney } from '../api/journey/mutations';
import { dryRunQuery, journeyQuery, journeyVersionsQuery } from '../api/journey/queries';
import { DryRunPanel } from '../components/DryRunPanel';
import { JourneyEditor } from '../components/JourneyEditor';
import { JourneyVersions } from '../components/JourneyVersions';
import { Empty, Loading, NotAvailable, QueryError } from '../components/StatusViews';
import { formatDateTime } from '../lib/format';
import { toJourneyEdit } from '../lib/journeyForm';
import { notify } from '../lib/notices';
import { usePageTitle } from '../lib/usePageTitle';

const STATS_DAYS = 30;

export function JourneyPage() {
  usePageTitle('Journey');
  const journey = useQuery(journeyQuery());
  const versions = useQuery(journeyVersionsQuery());
  const dryRun = useQuery(dryRunQuery());
  const save = useSaveJourney();
  // Each step's recent conversions beside it (left out by a server without them).
  const effectiveness = useQuery(effectivenessQuery(STATS_DAYS));

  return (
    <div className="page">
      <header className="page__header">
        <h1>Win-back journey</h1>
        <p className="page__lead">
          The emails an at-risk client gets, in order, and how long to leave them alone afterwards. Saving makes a new
          version; episodes already under way keep the version they started with.
        </p>
      </header>

      <section className="panel" aria-labelledby="journey-heading">
        <div className="panel__header">
          <h2 id="journey-heading">Current journey</h2>
          {journey.data && (
            <p className="muted small" data-testid="journey-version">
              Version {journey.data.version}, saved {formatDateTime(journey.data.createdAt)}
              {journey.data.createdBy ? ` by ${journey.data.createdBy}` : ''}
            </p>
          )}
        </div>
        {journey.isPending ? (
          <Loading label="Loading the journey…" />
        ) : journey.isError ? (
          <QueryError
            title="Could not load the journey"
            error={journey.error}
            onRetry={() => void journey.refetch()}
            notFound={
              <NotAvailable title="Journeys are not available yet">
                This server does not offer <code>/api/journey</code> yet.
              </NotAvailable>
            }
          />
        ) : (
          <JourneyEditor
            journey={journey.data}
            stepStats={effectiveness.data?.byStep}
            statsDays={STATS_DAYS}
            busy={save.isPending}
            serverError={save.error}
            onSave={(values) =>
              save.mutate(toJourneyEdit(values), {
                onSuccess: (saved) => notify(`Journey saved as version ${saved.version}.`),
              })
            }
          />
        )}
      </section>

      <section className="panel" aria-labelledby="dry-run-heading">
        <div className="panel__header">
          <h2 id="dry-run-heading">Dry run: the next sweep</h2>
          <button
            type="button"
            className="button button--small"
            onClick={() => void dryRun.refetch()}
            disabled={dryRun.isFetching}
          >
            {dryRun.isFetching ? 'Checking…' : 'Run again'}
          </button>
        </div>
        <p className="muted small">
          Who the next sweep would email with the saved journey, by the same rules it sends by. Nothing is sent.
        </p>
        {dryRun.isPending ? (
          <Loading label="Working out who would be emailed…" />
        ) : dryRun.isError ? (
          <QueryError
            title="Could not run the dry run"
            error={dryRun.error}
            onRetry={() => void dryRun.refetch()}
            notFound={<Empty>This server does not offer a dry run yet.</Empty>}
          />
        ) : (
          <div aria-busy={dryRun.isFetching}>
            <DryRunPanel dryRun={dryRun.data} />
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="versions-heading">
        <h2 id="versions-heading">Versions</h2>
        {versions.isPending ? (
          <Loading label="Loading versions…" />
        ) : versions.isError ? (
          <QueryError
            title="Could not load versions"
            error={versions.error}
            onRetry={() => void versions.refetch()}
            notFound={<Empty>No versions to show.</Empty>}
          />
        ) : versions.data.length ? (
          <JourneyVersions versions={versions.data} current={journey.data?.version} />
        ) : (
          <Empty>No versions yet.</Empty>
        )}
      </section>
    </div>
  );
}
