import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../api/client';
import { emailQuery, userEmailsQuery } from '../api/emails/queries';
import type { Email } from '../api/emails/types';
import { useThreshold } from '../api/metrics/queries';
import { userOrdersQuery } from '../api/orders/queries';
import { useDeleteUser, useUpdateUser } from '../api/users/mutations';
import { sendingQuery } from '../api/sending/queries';
import { userKeys, userQuery, userTimelineQuery } from '../api/users/queries';
import type { User } from '../api/users/types';
import { ClientBadges } from '../components/ClientBadges';
import { ClientForm } from '../components/ClientForm';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { EmailPreview } from '../components/EmailPreview';
import { EmailStatusBadge } from '../components/EmailStatusBadge';
import { PredictionPanel } from '../components/PredictionPanel';
import { ScoreBadge } from '../components/ScoreBadge';
import { ScoreBreakdownPanel } from '../components/ScoreBreakdownPanel';
import { Empty, ErrorState, errorMessage, Loading, QueryError } from '../components/StatusViews';
import { Timeline } from '../components/Timeline';
import { fromUser, toUserPatch } from '../lib/clientForm';
import { trackingSummary } from '../lib/emailTracking';
import { formatCount, formatDate, formatDateTime, formatDaysAgo, formatMoney, formatScore } from '../lib/format';
import { notify } from '../lib/notices';
import { ruleLabel } from '../lib/model';
import { isAtRisk } from '../lib/risk';
import { usePageTitle } from '../lib/usePageTitle';

export function ClientDetailPage() {
  const { userId = '' } = useParams();
  const user = useQuery(userQuery(userId));
  usePageTitle(user.data?.name ?? 'Client');

  if (user.isPending) return <Loading label="Loading client…" />;
  if (user.isError) {
    if (isApiError(user.error) && user.error.isNotFound) {
      return (
        <div className="page">
          <h1>Client not found</h1>
          <Empty>
            No client has the id <code>{userId}</code>; it may have been deleted.{' '}
            <Link to="/clients">Back to clients</Link>
          </Empty>
        </div>
      );
    }
    return (
      <div className="page">
        <h1>Client</h1>
        <ErrorState title="Could not load this client" error={user.error} onRetry={() => void user.refetch()} />
      </div>
    );
  }
  return <ClientDetail user={user.data} />;
}

function ClientDetail({ user }: { user: User }) {
  const serverThreshold = useThreshold();
  const threshold = user.scoreBreakdown?.threshold ?? serverThreshold;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const update = useUpdateUser(user.userId);
  const remove = useDeleteUser(user.userId);
  const atRisk = isAtRisk(user.engagementScore, threshold);
  const sending = useQuery(sendingQuery());

  function onDelete() {
    remove.mutate(undefined, {
      onSuccess: () => {
        notify(`${user.name} was deleted.`);
        void navigate('/clients');
        queryClient.removeQueries({ queryKey: userKeys.detail(user.userId) });
      },
    });
  }

  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/clients">Clients</Link> <span aria-hidden="true">/</span>{' '}
        <span aria-current="page">{user.name}</span>
      </nav>
      <header className="page__header page__header--row">
        <div>
          <h1>{user.name}</h1>
          <p className="page__lead">
            <a href={`mailto:${user.email}`}>{user.email}</a>
          </p>
        </div>
        <div className="header-score">
          <ScoreBadge score={user.engagementScore} threshold={threshold} />
          <p className="small muted">{atRisk ? `Below the threshold of ${threshold}` : `Threshold ${threshold}`}</p>
        </div>
      </header>
      <ClientBadges user={user} sending={sending.data} explain />

      <div className="grid-2">
        <section className="panel" aria-labelledby="profile-heading">
          <div className="panel__header">
            <h2 id="profile-heading">Profile</h2>
            {!editing && (
              <div className="button-row">
                <button type="button" className="button" onClick={() => setEditing(true)}>
                  Edit
                </button>
                <button
                  type="button"
                  className="button button--danger-outline"
                  onClick={() => setConfirmingDelete(true)}
                >
                  Delete
                </button>
              </div>
            )}
          </div>
          {editing ? (
            <EditProfile
              user={user}
              busy={update.isPending}
              error={update.error}
              onSave={(patch) => {
                if (Object.keys(patch).length === 0) {
                  setEditing(false);
                  return;
                }
                update.mutate(patch, {
                  onSuccess: () => {
                    notify('Changes saved.');
                    setEditing(false);
                  },
                });
              }}
              onCancel={() => {
                update.reset();
                setEditing(false);
              }}
            />
          ) : (
            <Profile user={user} />
          )}
        </section>

        <section className="panel" aria-labelledby="breakdown-heading">
          <h2 id="breakdown-heading">Why this score</h2>
          <ScoreBreakdownPanel user={user} threshold={threshold} />
        </section>
      </div>

      {user.prediction !== undefined && <PredictionPanel prediction={user.prediction} />}
      <ClientTimeline userId={user.userId} expectedNextOrderAt={user.prediction?.expectedNextOrderAt ?? null} />
      <EmailHistory userId={user.userId} />
      <OrderHistory userId={user.userId} />

      {confirmingDelete && (
        <ConfirmDialog
          title={`Delete ${user.name}?`}
          confirmLabel="Delete client"
          busy={remove.isPending}
          error={remove.error ? errorMessage(remove.error) : null}
          onConfirm={onDelete}
          onCancel={() => {
            remove.reset();
            setConfirmingDelete(false);
          }}
        >
          <p>This removes {user.email} and their data from Rekindle. It cannot be undone.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function Profile({ user }: { user: User }) {
  return (
    <dl className="facts">
      <div>
        <dt>Last order</dt>
        <dd>
          {user.lastOrderDate
            ? `${formatDate(user.lastOrderDate)} (${formatDaysAgo(user.lastOrderDate)})`
            : 'No order yet'}
        </dd>
      </div>
      <div>
        <dt>Orders</dt>
        <dd>{formatCount(user.orderCount)}</dd>
      </div>
      <div>
        <dt>Average order value</dt>
        <dd>{formatMoney(user.averageOrderValue)}</dd>
      </div>
      <div>
        <dt>Preferred categories</dt>
        <dd>{user.preferredCategories.length ? user.preferredCategories.join(', ') : '—'}</dd>
      </div>
      <div>
        <dt>Last email</dt>
        <dd>
          {user.lastEmailDate ? `${formatDate(user.lastEmailDate)} (${formatDaysAgo(user.lastEmailDate)})` : 'None yet'}
        </dd>
      </div>
      <div>
        <dt>Client since</dt>
        <dd>{formatDate(user.createdAt)}</dd>
      </div>
      <div>
        <dt>Client id</dt>
        <dd>
          <code>{user.userId}</code>
        </dd>
      </div>
    </dl>
  );
}

function EditProfile({
  user,
  busy,
  error,
  onSave,
  onCancel,
}: {
  user: User;
  busy: boolean;
  error: Error | null;
  onSave: (patch: ReturnType<typeof toUserPatch>) => void;
  onCancel: () => void;
}) {
  // The starting values are fixed when editing begins; live refreshes do not reset the form.
  const [initial] = useState(() => fromUser(user));
  return (
    <ClientForm
      initialValues={initial}
      submitLabel="Save changes"
      busyLabel="Saving…"
      busy={busy}
      serverError={error}
      onSubmit={(values) => onSave(toUserPatch(initial, values))}
      onCancel={onCancel}
    />
  );
}

function EmailHistory({ userId }: { userId: string }) {
  const emails = useQuery(userEmailsQuery(userId));
  const [openId, setOpenId] = useState<string | null>(null);
  return (
    <section className="panel" aria-labelledby="emails-heading">
      <div className="panel__header">
        <h2 id="emails-heading">Emails</h2>
        <span className="small muted">Updates live</span>
      </div>
      {emails.isPending ? (
        <Loading label="Loading emails…" />
      ) : emails.isError ? (
        <ErrorState title="Could not load emails" error={emails.error} onRetry={() => void emails.refetch()} />
      ) : emails.data.items.length === 0 ? (
        <Empty>No emails to this client yet.</Empty>
      ) : (
        <ul className="email-list" aria-label="Email history">
          {emails.data.items.map((e) => {
            const open = openId === e.emailId;
            const regionId = `email-preview-${e.emailId}`;
            return (
              <li key={e.emailId} className="email-item">
                <div className="email-item__row">
                  <div className="email-item__main">
                    <span className="email-item__subject" id={`${regionId}-subject`}>
                      {e.subject}
                    </span>
                    <span className="small muted">
                      {formatDateTime(e.generatedAt || e.createdAt)} · score then {formatScore(e.engagementScoreAtTime)}
                      {e.writer ? ` · ${e.writer}` : ''}
                      {e.targetingRule ? ` · chosen by ${ruleLabel(e.targetingRule).toLowerCase()}` : ''}
                    </span>
                    {trackingSummary(e) && <span className="small email-item__tracking">{trackingSummary(e)}</span>}
                  </div>
                  <EmailStatusBadge status={e.status} />
                  <button
                    type="button"
                    className="button button--small"
                    aria-expanded={open}
                    aria-controls={regionId}
                    aria-describedby={`${regionId}-subject`}
                    onClick={() => setOpenId(open ? null : e.emailId)}
                  >
                    {open ? 'Hide' : 'Preview'}
                  </button>
                </div>
                {open && (
                  <div id={regionId} className="email-item__preview">
                    {e.error && <p className="form-error">Delivery failed: {e.error}</p>}
                    <EmailHistoryPreview email={e} />
                    <Link to={`/emails/${encodeURIComponent(e.emailId)}`}>Open this email</Link>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/**
 * An email of the history, previewed: the list leaves out the preview form of the HTML,
 * so the email itself is read (GET /api/emails/:emailId); its plain text if that fails.
 */
function EmailHistoryPreview({ email }: { email: Email }) {
  const detail = useQuery(emailQuery(email.emailId));
  if (detail.isPending) return <Loading label="Loading the preview…" />;
  return <EmailPreview email={detail.data ?? email} />;
}

function OrderHistory({ userId }: { userId: string }) {
  const orders = useQuery(userOrdersQuery(userId));
  return (
    <section className="panel" aria-labelledby="orders-heading">
      <h2 id="orders-heading">Orders</h2>
      {orders.isPending ? (
        <Loading label="Loading orders…" />
      ) : orders.isError ? (
        <QueryError
          title="Could not load orders"
          error={orders.error}
          onRetry={() => void orders.refetch()}
          notFound={<Empty>This server does not list orders yet.</Empty>}
        />
      ) : orders.data.items.length === 0 ? (
        <Empty>No orders recorded.</Empty>
      ) : (
        <div className="table-wrap" role="region" aria-label="Orders" tabIndex={0}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Items</th>
                <th scope="col" className="num">
                  Total
                </th>
                <th scope="col" className="hide-sm">
                  Status
                </th>
              </tr>
            </thead>
            <tbody>
              {orders.data.items.map((o) => (
                <tr key={o.orderId}>
                  <td>{formatDate(o.orderDate)}</td>
                  <td>
                    {o.items.length === 0 ? (
                      <span className="muted">—</span>
                    ) : (
                      o.items.map((i) => (i.quantity > 1 ? `${i.quantity} × ${i.name}` : i.name)).join(', ')
                    )}
                  </td>
                  <td className="num">{formatMoney(o.totalValue)}</td>
                  <td className="hide-sm">{o.status.toLowerCase()}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {orders.data.nextCursor && (
            <p className="small muted">Showing the latest {orders.data.items.length} orders.</p>
          )}
        </div>
      )}
    </section>
  );
}

/** Orders, emails and their events, and score points in one list, newest first (issue 16). */
function ClientTimeline({ userId, expectedNextOrderAt }: { userId: string; expectedNextOrderAt: string | null }) {
  const timeline = useQuery(userTimelineQuery(userId));
  return (
    <section className="panel" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Timeline</h2>
      {timeline.isPending ? (
        <Loading label="Loading the timeline…" />
      ) : timeline.isError ? (
        <QueryError
          title="Could not load the timeline"
          error={timeline.error}
          onRetry={() => void timeline.refetch()}
          notFound={<Empty>This server does not keep timelines yet.</Empty>}
        />
      ) : (
        <Timeline items={timeline.data.items} expectedNextOrderAt={expectedNextOrderAt} />
      )}
    </section>
  );
}
