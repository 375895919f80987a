import { useQuery } from '@tanstack/react-query';
import { useLocation } from 'react-router';
import { journeyQuery } from '../api/journey/queries';
import { sendingQuery } from '../api/sending/queries';
import { useSaveSettings, useSendTestEmail } from '../api/settings/mutations';
import { settingsQuery } from '../api/settings/queries';
import { SettingsForm } from '../components/SettingsForm';
import { Loading, NotAvailable, QueryError } from '../components/StatusViews';
import { TestEmailCard } from '../components/TestEmailCard';
import { formatDateTime } from '../lib/format';
import { notify } from '../lib/notices';
import { sendingDetail } from '../lib/sending';
import { usePageTitle } from '../lib/usePageTitle';

export function SettingsPage() {
  usePageTitle('Settings');
  const settings = useQuery(settingsQuery());
  const sending = useQuery(sendingQuery());
  const save = useSaveSettings();
  // The test send offers the journey's steps; without the journey, step 1 alone.
  const journey = useQuery(journeyQuery());
  const sendTest = useSendTestEmail();
  const { hash, key: locationKey } = useLocation();
  const focusField = hash ? decodeURIComponent(hash.slice(1)) : undefined;

  return (
    <div className="page page--narrow">
      <header className="page__header">
        <h1>Settings</h1>
        <p className="page__lead">Who the emails come from, where their links lead, and when and how many go out.</p>
      </header>

      {sending.data && (
        <p className={`note${sending.data.paused ? ' note--caution' : ''}`} data-testid="settings-sending">
          {sendingDetail(sending.data)}
        </p>
      )}

      <div className="panel">
        {settings.isPending ? (
          <Loading label="Loading settings…" />
        ) : settings.isError ? (
          <QueryError
            title="Could not load settings"
            error={settings.error}
            onRetry={() => void settings.refetch()}
            notFound={
              <NotAvailable title="Settings are not available yet">
                This server does not offer <code>/api/settings</code> yet; it is configured by its environment.
              </NotAvailable>
            }
          />
        ) : (
          <>
            {settings.data.updatedAt && (
              <p className="muted small">
                Last saved {formatDateTime(settings.data.updatedAt)}
                {settings.data.updatedBy ? ` by ${settings.data.updatedBy}` : ''}.
              </p>
            )}
            <SettingsForm
              // A saved answer starts the form again from what the server stored.
              key={settings.data.updatedAt ?? 'never'}
              settings={settings.data}
              busy={save.isPending}
              serverError={save.error}
              focusField={focusField}
              focusKey={locationKey}
              onSave={(patch) =>
                save.mutate(patch, {
                  onSuccess: (saved) =>
                    notify(
                      saved.missing.length
                        ? 'Settings saved. Sending stays paused until the rest are set.'
                        : 'Settings saved.',
                    ),
                })
              }
            />
          </>
        )}
      </div>

      {settings.isSuccess && (
        <TestEmailCard
          steps={journey.data?.steps.length}
          busy={sendTest.isPending}
          result={sendTest.data}
          error={sendTest.error}
          onSend={(request) => sendTest.mutate(request)}
        />
      )}
    </div>
  );
}
