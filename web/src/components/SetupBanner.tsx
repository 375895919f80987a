// First-run setup: while GET /api/settings lists missing settings, every page says what
// is left and leads to the Settings page; once all are set and sending is still paused
// for setup, it offers to resume. Servers without settings (404) show nothing.

import { useQuery } from '@tanstack/react-query';
import { Link, useLocation } from 'react-router';
import { dryRunQuery } from '../api/journey/queries';
import { useSetSending } from '../api/sending/mutations';
import { sendingQuery } from '../api/sending/queries';
import { settingsQuery } from '../api/settings/queries';
import { notify } from '../lib/notices';
import { formatCount } from '../lib/format';
import { settingLabel } from '../lib/settingsForm';
import { errorMessage } from './StatusViews';

export function SetupBanner() {
  const settings = useQuery(settingsQuery());
  const sending = useQuery(sendingQuery());
  const resume = useSetSending();
  const { pathname } = useLocation();
  const onSettings = pathname === '/settings';

  const missing = settings.data?.missing ?? [];
  const ready = Boolean(settings.data && !missing.length && sending.data?.paused && sending.data.reason === 'setup');
  // Before the first resume: how many the next sweep would email (a server without a dry run says nothing).
  const dryRun = useQuery({ ...dryRunQuery(), enabled: ready });
  if (missing.length > 0) {
    return (
      <section className="setup-banner" aria-labelledby="setup-banner-title">
        <div className="setup-banner__inner">
          <div>
            <p id="setup-banner-title" className="setup-banner__title">
              Finish setting up Rekindle
            </p>
            <p>
              Sending stays paused until the shop’s details are set, so no email goes out without a sender, a postal
              address and working links. Still to set:{' '}
              <span data-testid="setup-missing">{missing.map(settingLabel).join(', ')}</span>.
            </p>
          </div>
          {!onSettings && (
            <Link className="button button--primary" to="/settings">
              Set them up
            </Link>
          )}
        </div>
      </section>
    );
  }

  if (ready) {
    const would = dryRun.data?.wouldEmail;
    return (
      <section className="setup-banner setup-banner--ready" aria-labelledby="setup-banner-title">
        <div className="setup-banner__inner">
          <div>
            <p id="setup-banner-title" className="setup-banner__title">
              Setup is complete
            </p>
            <p>
              Sending is still paused. Check the journey and its dry run, then resume when you are ready: due emails go
              out in order, within the caps and outside quiet hours.
              {would !== undefined && (
                <span data-testid="setup-dry-run">
                  {' '}
                  The next sweep would email {formatCount(would)} {would === 1 ? 'client' : 'clients'}.
                </span>
              )}
            </p>
          </div>
          <div className="button-row">
            {pathname !== '/journey' && (
              <Link className="button" to="/journey">
                Review the journey
              </Link>
            )}
            <button
              type="button"
              className="button button--primary"
              disabled={resume.isPending}
              onClick={() =>
                resume.mutate('resume', {
                  onSuccess: () => notify('Sending resumed.'),
                  onError: (e) => notify(`Could not resume sending: ${errorMessage(e)}`),
                })
              }
            >
              {resume.isPending ? 'Resuming…' : 'Resume sending'}
            </button>
          </div>
        </div>
      </section>
    );
  }
  return null;
}
