// The pause/resume switch in the header, on every page: whether Rekindle is sending, the
// day's and hour's sends against the caps, and one button to pause or resume. A server
// without the sending controls (404) shows nothing.

import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { isApiError } from '../api/client';
import { useSetSending } from '../api/sending/mutations';
import { sendingQuery } from '../api/sending/queries';
import { notify } from '../lib/notices';
import { sendingDetail, sendingHeadline, sendingVolume } from '../lib/sending';
import { errorMessage } from './StatusViews';

export function SendingSwitch() {
  const sending = useQuery(sendingQuery());
  const setSending = useSetSending();
  const navigate = useNavigate();
  const state = sending.data;
  if (!state) return null;

  function toggle() {
    if (!state) return;
    const action = state.paused ? 'resume' : 'pause';
    setSending.mutate(action, {
      onSuccess: (next) => notify(next.paused ? 'Sending is paused. Due emails wait.' : 'Sending resumed.'),
      onError: (e) => {
        // Resume refused while settings are missing: take the user to them.
        if (isApiError(e) && e.status === 409) {
          notify(`Sending stays paused: ${errorMessage(e)}`);
          void navigate(e.field ? `/settings#${encodeURIComponent(e.field)}` : '/settings');
        } else {
          notify(`Could not ${action} sending: ${errorMessage(e)}`);
        }
      },
    });
  }

  return (
    <div
      className={`sending ${state.paused ? 'sending--paused' : 'sending--on'}`}
      role="group"
      aria-label="Sending"
      title={sendingDetail(state)}
    >
      <span className="sending__dot" aria-hidden="true" />
      <span className="sending__text" data-testid="sending-state">
        <strong>{sendingHeadline(state)}</strong>
        <span className="sending__volume">{sendingVolume(state)}</span>
      </span>
      <button
        type="button"
        className={`button button--small ${state.paused ? 'button--primary' : ''}`}
        onClick={toggle}
        disabled={setSending.isPending}
      >
        {setSending.isPending
          ? state.paused
            ? 'Resuming…'
            : 'Pausing…'
          : state.paused
            ? 'Resume sending'
            : 'Pause sending'}
      </button>
    </div>
  );
}
