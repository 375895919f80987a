// A message's versions, newest first (version 0 is the built-in one), each opened with a
// click; and one version's templates, read-only, with a button that copies them into the
// editor.

import type { Message, MessageVersion } from '../api/messages/types';
import { formatDateTime } from '../lib/format';

function versionLabel(version: number): string {
  return version === 0 ? 'Built in' : `Version ${version}`;
}

export function MessageHistory({
  versions,
  current,
  viewing,
  onView,
}: {
  versions: MessageVersion[];
  current: number;
  viewing: number | null;
  onView: (version: number) => void;
}) {
  return (
    <div className="table-wrap" role="region" aria-label="Message history" tabIndex={0}>
      <table className="table table--compact">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Saved</th>
            <th scope="col">By</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version}>
              <th scope="row">
                <button
                  type="button"
                  className="link-button"
                  onClick={() => onView(v.version)}
                  aria-pressed={viewing === v.version}
                >
                  {versionLabel(v.version)}
                </button>
                {v.version === current && (
                  <>
                    {' '}
                    <span className="tag tag--current">current</span>
                  </>
                )}
              </th>
              <td>{v.createdAt ? formatDateTime(v.createdAt) : '—'}</td>
              <td>{v.createdBy || (v.version === 0 ? 'templates/' : '—')}</td>
              <td>{v.note || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function MessageVersionView({
  message,
  onRestore,
  onClose,
}: {
  message: Message;
  onRestore: () => void;
  onClose: () => void;
}) {
  const title = versionLabel(message.version);
  return (
    <section className="message-version" aria-label={`${title} of ${message.name}`}>
      <div className="panel__header">
        <h3>
          {title}
          {message.version !== 0 && message.updatedAt ? `, saved ${formatDateTime(message.updatedAt)}` : ''}
          {message.version !== 0 && message.updatedBy ? ` by ${message.updatedBy}` : ''}
        </h3>
        <div className="button-row">
          <button type="button" className="button button--primary button--small" onClick={onRestore}>
            Restore into the editor
          </button>
          <button type="button" className="button button--small" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
      {message.note && <p className="muted small">{message.note}</p>}
      <dl className="message-version__templates">
        <dt>Subject</dt>
        <dd>
          <code>{message.subject}</code>
        </dd>
        <dt>Text</dt>
        <dd>
          <pre className="email-text">{message.text}</pre>
        </dd>
        <dt>HTML</dt>
        <dd>
          <pre className="email-text message-form__code">{message.html}</pre>
        </dd>
        <dt>LLM instructions</dt>
        <dd>{message.instructions ? <pre className="email-text">{message.instructions}</pre> : '—'}</dd>
      </dl>
    </section>
  );
}
