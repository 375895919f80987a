import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { isApiError, type ApiError } from '../api/client';
import { useSaveMessage } from '../api/messages/mutations';
import { messagePreviewQuery, messageQuery } from '../api/messages/queries';
import type { Message, MessageTemplates } from '../api/messages/types';
import { MessageEditorForm } from '../components/MessageEditorForm';
import { MessageHistory, MessageVersionView } from '../components/MessageHistory';
import { MessagePreviewPanel } from '../components/MessagePreviewPanel';
import { errorMessage, Loading, NotAvailable, QueryError } from '../components/StatusViews';
import { toSentence } from '../lib/format';
import {
  conflictVersion,
  describeSteps,
  describeVersion,
  draftChanged,
  draftFrom,
  isDraftField,
  messageFieldOf,
  previewBody,
  saveBody,
  templatesOf,
  type DraftField,
  type MessageErrorField,
  type MessageDraft,
} from '../lib/messageEditor';
import { useDebouncedValue } from '../lib/useDebouncedValue';
import { usePageTitle } from '../lib/usePageTitle';
import { HowMessagesWork } from './MessagesPage';

/** How long the draft must rest before it is previewed. */
export const PREVIEW_DEBOUNCE_MS = 400;

export function MessagePage() {
  const { name = '' } = useParams();
  usePageTitle(`Message ${name}`);
  const message = useQuery(messageQuery(name));

  return (
    <div className="page">
      <header className="page__header">
        <p className="small">
          <Link to="/messages">← All messages</Link>
        </p>
        <h1>
          Message <code>{name}</code>
        </h1>
        {message.data && (
          <p className="page__lead" data-testid="message-summary">
            Sent by {describeSteps(message.data.steps)}; the current version is{' '}
            {describeVersion(message.data.currentVersion)}.
          </p>
        )}
        <HowMessagesWork />
      </header>
      {message.isPending ? (
        <Loading label="Loading the message…" />
      ) : message.isError ? (
        <QueryError
          title="Could not load the message"
          error={message.error}
          onRetry={() => void message.refetch()}
          notFound={
            <NotAvailable title="No such message">
              There is no message named <code>{name}</code>. <Link to="/messages">See all messages</Link>.
            </NotAvailable>
          }
        />
      ) : (
        <MessageWorkspace key={name} message={message.data} />
      )}
    </div>
  );
}

/** The version the editor started from, and its templates (what "changed" compares with). */
interface Base {
  version: number;
  templates: MessageTemplates;
}

function baseOf(m: Message): Base {
  return { version: m.currentVersion, templates: templatesOf(m) };
}

function MessageWorkspace({ message }: { message: Message }) {
  const name = message.name;
  const queryClient = useQueryClient();
  const save = useSaveMessage(name);

  const [draft, setDraft] = useState<MessageDraft>(() => draftFrom(message));
  const [base, setBase] = useState<Base>(() => baseOf(message));
  const [userId, setUserId] = useState('');
  // What the last save (or restore, or reload) did, for the status line.
  const [status, setStatus] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<ApiError | Error | null>(null);
  // A save refused because another version was saved since the editor loaded.
  const [conflict, setConflict] = useState<{ version: number | null } | null>(null);
  // The draft a reload replaced, which can be put back.
  const [setAside, setSetAside] = useState<MessageDraft | null>(null);
  const [viewing, setViewing] = useState<number | null>(null);

  // The preview follows the draft once it has rested (not the note: it is not in the email).
  const templates = useMemo(() => previewBody(draft), [draft]);
  const wanted = useMemo(() => ({ templates, userId: userId.trim() }), [templates, userId]);
  const debounced = useDebouncedValue(wanted, PREVIEW_DEBOUNCE_MS);
  const preview = useQuery(messagePreviewQuery(name, debounced.templates, debounced.userId));
  const version = useQuery({ ...messageQuery(name, viewing ?? undefined), enabled: viewing !== null });

  const previewError = isApiError(preview.error) ? preview.error : null;
  const previewField = previewError ? messageFieldOf(previewError.field) : null;
  const userIdError = previewError && previewField === 'userId' ? toSentence(previewError.message) : null;
  // A 400: the draft does not parse; shown by its field (or over the preview when it names none).
  const parseError = previewError && previewError.status === 400 && previewField !== 'userId' ? previewError : null;
  const problem = preview.data?.problem ?? null;
  const problemField = problem ? messageFieldOf(problem.field) : null;

  // Each error by its field when it names one of the editor's; otherwise over the form (a
  // save's) or over the preview (the preview's).
  const errors: Partial<Record<DraftField, string>> = {};
  const put = (field: MessageErrorField | null, message: string) => {
    if (!isDraftField(field)) return false;
    errors[field] ??= toSentence(message);
    return true;
  };
  const saveField = isApiError(saveError) ? messageFieldOf(saveError.field) : null;
  const saveShown = saveError ? put(saveField, saveError.message) : false;
  const problemShown = problem ? put(problemField, problem.error) : false;
  const parseShown = parseError ? put(previewField, parseError.message) : false;
  const formError = saveError && !saveShown ? toSentence(errorMessage(saveError)) : null;
  const previewPanelError =
    problem && !problemShown
      ? toSentence(problem.error)
      : parseError && !parseShown
        ? toSentence(parseError.message)
        : previewError && !parseError && !userIdError
          ? toSentence(errorMessage(previewError))
          : null;

  const changed = draftChanged(draft, base.templates);
  const canSave = changed && !problem && !parseError && !conflict;

  function change(next: MessageDraft, field: DraftField) {
    setDraft(next);
    setStatus(null);
    if (saveError && (!saveField || saveField === field)) setSaveError(null);
  }

  async function latest(): Promise<Message> {
    return queryClient.fetchQuery({ ...messageQuery(name), staleTime: 0 });
  }

  function onSave() {
    setSaveError(null);
    setStatus(null);
    save.mutate(saveBody(draft, base.version), {
      onSuccess: (saved) => {
        const v = saved.currentVersion ?? saved.version;
        setBase({ version: v, templates: templatesOf(saved) });
        setDraft(draftFrom(saved));
        setSetAside(null);
        setStatus(`Saved as version ${v}.`);
      },
      onError: (e) => {
        if (isApiError(e) && e.status === 409 && (e.field === 'baseVersion' || e.code === 'failed_precondition')) {
          // Keep the draft; find out which version is current now, to say so.
          latest().then(
            (m) => setConflict({ version: m.currentVersion }),
            () => setConflict({ version: conflictVersion(null, e.message) }),
          );
          return;
        }
        setSaveError(e);
      },
    });
  }

  async function reload() {
    try {
      const m = await latest();
      setSetAside(draftChanged(draft, m) ? draft : null);
      setDraft(draftFrom(m));
      setBase(baseOf(m));
      setConflict(null);
      setSaveError(null);
      setStatus(`Reloaded: the editor shows version ${m.currentVersion}.`);
    } catch (e) {
      setSaveError(e instanceof Error ? e : new Error(String(e)));
    }
  }

  function putDraftBack() {
    if (!setAside) return;
    setDraft(setAside);
    setSetAside(null);
    setStatus(`Your draft is back in the editor; saving it replaces version ${base.version}.`);
  }

  function restore(m: Message) {
    setDraft({ ...templatesOf(m), note: draft.note || `Restored ${describeVersion(m.version)}` });
    setViewing(null);
    setSaveError(null);
    const which = m.version === 0 ? 'The built-in version' : `Version ${m.version}`;
    setStatus(`${which} is in the editor: saving makes it a new version.`);
  }

  const footer = (
    <>
      {conflict && (
        <div className="form-error message-conflict" role="alert">
          <p>
            Someone saved {conflict.version === null ? 'a newer version' : `version ${conflict.version}`} in between:
            reload to see it. Your draft stays in the fields until you do.
          </p>
          <button type="button" className="button button--small" onClick={() => void reload()}>
            Reload
          </button>
        </div>
      )}
      <div role="status" aria-live="polite" className="message-status">
        {status && <p className="small">{status}</p>}
        {setAside && (
          <p className="small">
            Your draft was set aside.{' '}
            <button type="button" className="button button--small" onClick={putDraftBack}>
              Put my draft back
            </button>
          </p>
        )}
      </div>
    </>
  );

  return (
    <>
      <div className="message-workspace">
        <section className="panel" aria-labelledby="message-edit-heading">
          <div className="panel__header">
            <h2 id="message-edit-heading">Edit</h2>
            <p className="muted small" data-testid="message-base">
              Editing from {describeVersion(base.version)}
              {changed ? ' · unsaved changes' : ''}
            </p>
          </div>
          <MessageEditorForm
            draft={draft}
            onChange={change}
            errors={errors}
            formError={formError}
            placeholders={message.placeholders}
            canSave={canSave}
            busy={save.isPending}
            onSave={onSave}
            footer={footer}
          />
        </section>
        <section className="panel" aria-labelledby="message-preview-heading">
          <h2 id="message-preview-heading">Preview</h2>
          {preview.isPending && !preview.data && <Loading label="Rendering the preview…" />}
          <MessagePreviewPanel
            preview={preview.data}
            updating={preview.isFetching || wanted !== debounced}
            error={previewPanelError}
            userId={userId}
            onUserIdChange={setUserId}
            userIdError={userIdError}
          />
        </section>
      </div>

      <section className="panel" aria-labelledby="message-history-heading">
        <h2 id="message-history-heading">History</h2>
        <MessageHistory
          versions={message.versions}
          current={message.currentVersion}
          viewing={viewing}
          onView={(v) => setViewing(viewing === v ? null : v)}
        />
        {viewing !== null &&
          (version.isPending ? (
            <Loading label={`Loading ${describeVersion(viewing)}…`} />
          ) : version.isError ? (
            <QueryError
              title={`Could not load ${describeVersion(viewing)}`}
              error={version.error}
              onRetry={() => void version.refetch()}
              notFound={<p className="muted">That version is gone.</p>}
            />
          ) : (
            <MessageVersionView
              message={version.data}
              onRestore={() => restore(version.data)}
              onClose={() => setViewing(null)}
            />
          ))}
      </section>
    </>
  );
}
