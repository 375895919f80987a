import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useCreateExperiment } from '../api/experiments/mutations';
import { experimentsQuery, storedMessagePreviewQuery } from '../api/experiments/queries';
import { messagesQuery } from '../api/messages/queries';
import { ExperimentForm } from '../components/ExperimentForm';
import { ExperimentList } from '../components/ExperimentList';
import { Empty, errorMessage, Loading, NotAvailable, QueryError } from '../components/StatusViews';
import { previewDocument } from '../lib/emailPreview';
import { toSentence } from '../lib/format';
import { usePageTitle } from '../lib/usePageTitle';

export function ExperimentsPage() {
  usePageTitle('Experiments');
  const experiments = useQuery(experimentsQuery());
  const messages = useQuery(messagesQuery());
  const create = useCreateExperiment();
  const navigate = useNavigate();
  const running = experiments.data?.find((e) => e.status === 'running') ?? null;

  return (
    <div className="page">
      <header className="page__header">
        <h1>Experiments</h1>
        <p className="page__lead">
          Test a journey message against other wordings: clients get one variant each, and a winner is declared once the
          results say so clearly enough. Promoting a variant saves its wording as the message’s new version. One
          experiment runs at a time.
        </p>
      </header>

      <section className="panel" aria-labelledby="experiments-heading">
        <h2 id="experiments-heading">All experiments</h2>
        {experiments.isPending ? (
          <Loading label="Loading the experiments…" />
        ) : experiments.isError ? (
          <QueryError
            title="Could not load the experiments"
            error={experiments.error}
            onRetry={() => void experiments.refetch()}
            notFound={
              <NotAvailable title="Experiments are not available yet">
                This server does not offer <code>/api/experiments</code> yet.
              </NotAvailable>
            }
          />
        ) : experiments.data.length ? (
          <ExperimentList experiments={experiments.data} />
        ) : (
          <Empty>No experiments yet.</Empty>
        )}
      </section>

      <section className="panel" aria-labelledby="new-experiment-heading">
        <h2 id="new-experiment-heading">New experiment</h2>
        {messages.isPending || experiments.isPending ? (
          <Loading label="Loading the messages…" />
        ) : messages.isError ? (
          <QueryError
            title="Could not load the messages"
            error={messages.error}
            onRetry={() => void messages.refetch()}
            notFound={<NotAvailable title="Messages are not available yet">An experiment needs messages.</NotAvailable>}
          />
        ) : (
          <ExperimentForm
            messages={messages.data.map((m) => m.name)}
            running={running}
            busy={create.isPending}
            error={create.error}
            onCreate={(body) =>
              create.mutate(body, {
                onSuccess: (created) => void navigate(`/experiments/${encodeURIComponent(created.experimentId)}`),
              })
            }
            renderPreview={(message, letter) => <VariantPreview message={message} letter={letter} />}
          />
        )}
      </section>
    </div>
  );
}

/** A variant's message as stored, rendered for the sample client as the Messages editor shows it. */
function VariantPreview({ message, letter }: { message: string; letter: string }) {
  const preview = useQuery(storedMessagePreviewQuery(message));
  if (preview.isPending) return <Loading label={`Rendering ${message}…`} />;
  if (preview.isError)
    return (
      <p className="form-error" role="alert">
        {toSentence(errorMessage(preview.error))}
      </p>
    );
  return (
    <div className="message-preview" data-testid={`preview-${letter}`}>
      <p className="message-preview__subject">
        <span className="muted small">Subject </span>
        <strong>{preview.data.subject}</strong>
      </p>
      <iframe
        className="email-frame"
        title={`Preview of variant ${letter} (${message})`}
        sandbox=""
        srcDoc={previewDocument(preview.data.html)}
        referrerPolicy="no-referrer"
        style={{ height: 360 }}
      />
    </div>
  );
}
