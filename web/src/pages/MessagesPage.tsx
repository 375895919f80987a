import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { isApiError } from '../api/client';
import { useCreateMessage } from '../api/messages/mutations';
import { messageQuery, messagesQuery } from '../api/messages/queries';
import { MessageList } from '../components/MessageList';
import { NewMessageForm } from '../components/NewMessageForm';
import { Empty, Loading, NotAvailable, QueryError } from '../components/StatusViews';
import { templatesOf } from '../lib/messageEditor';

/** The message a new one starts from. */
export const COPY_OF = 'winback-1';

export function HowMessagesWork() {
  return (
    <p className="muted small" data-testid="messages-how">
      A save is used for the next email of its step. The files in <code>templates/</code> stay the default (version 0).
    </p>
  );
}

export function MessagesPage() {
  const messages = useQuery(messagesQuery());
  const create = useCreateMessage();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  // A failed read of the copy or a refused POST, shown by the form.
  const [createError, setCreateError] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);

  async function createFrom(name: string) {
    // The copy is read when asked for, so it is the newest version of winback-1 (or of
    // the first message, on a server without one).
    let source;
    try {
      source = await queryClient.fetchQuery(messageQuery(COPY_OF));
    } catch (e) {
      const first = messages.data?.[0]?.name;
      if (!isApiError(e) || !e.isNotFound || !first) throw e;
      source = await queryClient.fetchQuery(messageQuery(first));
    }
    const created = await create.mutateAsync({
      name,
      ...templatesOf(source),
      note: `Started from a copy of ${source.name}`,
    });
    await navigate(`/messages/${encodeURIComponent(created.name)}`);
  }

  return (
    <div className="page">
      <header className="page__header">
        <h1>Messages</h1>
        <p className="page__lead">
          What each step of the journey sends: the subject, the plain text and the HTML, with placeholders for the
          client, and optional instructions for the writer. Every save is a new version.
        </p>
        <HowMessagesWork />
      </header>

      <section className="panel" aria-labelledby="messages-heading">
        <h2 id="messages-heading">All messages</h2>
        {messages.isPending ? (
          <Loading label="Loading the messages…" />
        ) : messages.isError ? (
          <QueryError
            title="Could not load the messages"
            error={messages.error}
            onRetry={() => void messages.refetch()}
            notFound={
              <NotAvailable title="Messages are not available yet">
                This server does not offer <code>/api/messages</code> yet.
              </NotAvailable>
            }
          />
        ) : messages.data.length ? (
          <MessageList messages={messages.data} />
        ) : (
          <Empty>No messages yet.</Empty>
        )}
      </section>

      <section className="panel" aria-labelledby="new-message-heading">
        <h2 id="new-message-heading">New message</h2>
        <NewMessageForm
          copyOf={COPY_OF}
          busy={creating}
          error={createError}
          onCreate={(name) => {
            setCreateError(null);
            setCreating(true);
            createFrom(name)
              .catch((e: unknown) => setCreateError(e))
              .finally(() => setCreating(false));
          }}
        />
      </section>
    </div>
  );
}
