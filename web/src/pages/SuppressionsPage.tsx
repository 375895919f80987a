import { useQuery } from '@tanstack/react-query';
import { useEffect, useEffectEvent, useId, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { useAddSuppression, useRemoveSuppression } from '../api/suppressions/mutations';
import { suppressionListQuery } from '../api/suppressions/queries';
import { SUPPRESSION_REASONS, type Suppression, type SuppressionReason } from '../api/suppressions/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Pager } from '../components/Pager';
import { Empty, ErrorState, errorMessage, Loading } from '../components/StatusViews';
import { isValidEmail } from '../lib/clientForm';
import { formatCount, formatDateTime } from '../lib/format';
import { notify } from '../lib/notices';
import { useCursorPager } from '../lib/useCursorPager';
import { useDebouncedValue } from '../lib/useDebouncedValue';
import { usePageTitle } from '../lib/usePageTitle';

export const SUPPRESSIONS_PAGE_SIZE = 25;

const REASON_WORDS: Record<string, string> = {
  manual: 'Added by hand',
  unsubscribed: 'Unsubscribed',
  bounced: 'Bounced',
  complained: 'Complained (spam report)',
};

/** The suppression list (issue 16): addresses Rekindle never emails, searched, added and removed. */
export function SuppressionsPage() {
  usePageTitle('Suppressions');
  const [params, setParams] = useSearchParams();
  const q = (params.get('q') ?? '').slice(0, 200);
  const searchId = useId();
  const [text, setText] = useState(q);
  const debounced = useDebouncedValue(text, 300);
  const pushText = useEffectEvent((t: string) => {
    if (t.trim() !== q) setParams(t.trim() ? { q: t.trim() } : {}, { replace: true });
  });
  useEffect(() => pushText(debounced), [debounced]);

  const pager = useCursorPager(q);
  const list = useQuery(suppressionListQuery({ limit: SUPPRESSIONS_PAGE_SIZE, cursor: pager.cursor, q }));
  const [removing, setRemoving] = useState<Suppression | null>(null);
  const remove = useRemoveSuppression();

  return (
    <div className="page">
      <header className="page__header">
        <h1>Suppressions</h1>
        <p className="page__lead">
          Addresses Rekindle never emails: those who unsubscribed, bounced or complained, and any you add.
        </p>
      </header>

      <AddSuppressionForm />

      <form className="toolbar" role="search" aria-label="Search suppressions" onSubmit={(e) => e.preventDefault()}>
        <div className="field field--grow">
          <label htmlFor={searchId}>Search</label>
          <input
            id={searchId}
            type="search"
            placeholder="Address"
            value={text}
            maxLength={200}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
      </form>

      {list.data?.total !== undefined && (
        <p className="muted" aria-live="polite" data-testid="suppressions-total">
          {formatCount(list.data.total)} {list.data.total === 1 ? 'address' : 'addresses'}
          {q ? ' match' : ''}
        </p>
      )}

      {list.isPending ? (
        <Loading label="Loading suppressions…" />
      ) : list.isError ? (
        <ErrorState title="Could not load suppressions" error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <Empty>{q ? 'No suppressed address matches.' : 'No address is suppressed.'}</Empty>
      ) : (
        <>
          <div className="table-wrap" role="region" aria-label="Suppressions" tabIndex={0}>
            <table className="table" aria-busy={list.isPlaceholderData || undefined}>
              <thead>
                <tr>
                  <th scope="col">Address</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Since</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((s) => (
                  <tr key={s.email}>
                    <td>{s.email}</td>
                    <td>{REASON_WORDS[s.reason] ?? s.reason}</td>
                    <td>{formatDateTime(s.createdAt)}</td>
                    <td>
                      <button
                        type="button"
                        className="button"
                        aria-label={`Remove ${s.email}`}
                        onClick={() => setRemoving(s)}
                      >
                        Remove
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            label="Suppression pages"
            page={pager.page}
            hasPrevious={pager.hasPrevious}
            hasNext={list.data.nextCursor !== null}
            busy={list.isPlaceholderData}
            onPrevious={pager.previous}
            onNext={() => list.data.nextCursor && pager.next(list.data.nextCursor)}
          />
        </>
      )}

      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.email}?`}
          confirmLabel="Remove"
          busy={remove.isPending}
          error={remove.error ? errorMessage(remove.error) : null}
          onConfirm={() =>
            remove.mutate(removing.email, {
              onSuccess: () => {
                notify(`${removing.email} may be emailed again.`);
                setRemoving(null);
              },
            })
          }
          onCancel={() => {
            remove.reset();
            setRemoving(null);
          }}
        >
          <p>
            Rekindle may email {removing.email} again.{' '}
            {removing.reason !== 'manual' &&
              `They were suppressed because they ${removing.reason === 'complained' ? 'reported an email as spam' : removing.reason}: only remove them if they asked.`}
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function AddSuppressionForm() {
  const add = useAddSuppression();
  const [email, setEmail] = useState('');
  const [reason, setReason] = useState<SuppressionReason>('manual');
  const [invalid, setInvalid] = useState<string | null>(null);
  const ids = { email: useId(), reason: useId() };

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!isValidEmail(email.trim())) {
      setInvalid('Enter a valid email address.');
      return;
    }
    setInvalid(null);
    add.mutate(
      { email: email.trim(), reason },
      {
        onSuccess: (s) => {
          notify(`${s.email} will not be emailed.`);
          setEmail('');
        },
      },
    );
  }

  const error = invalid ?? (add.error ? errorMessage(add.error) : null);
  return (
    <form className="toolbar" aria-label="Add a suppression" onSubmit={onSubmit} noValidate>
      <div className="field field--grow">
        <label htmlFor={ids.email}>Address to suppress</label>
        <input
          id={ids.email}
          type="email"
          value={email}
          maxLength={254}
          aria-invalid={error ? true : undefined}
          onChange={(e) => setEmail(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={ids.reason}>Reason</label>
        <select id={ids.reason} value={reason} onChange={(e) => setReason(e.target.value as SuppressionReason)}>
          {SUPPRESSION_REASONS.map((r) => (
            <option key={r} value={r}>
              {REASON_WORDS[r]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <button type="submit" className="button button--primary" disabled={add.isPending}>
          Suppress
        </button>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
