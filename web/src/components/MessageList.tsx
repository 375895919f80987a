// Every message: which steps send it, its version, subject template and last save.

import { Link } from 'react-router';
import type { MessageSummary } from '../api/messages/types';
import { formatDateTime } from '../lib/format';
import { describeSteps, describeVersion } from '../lib/messageEditor';

export function MessageList({ messages }: { messages: MessageSummary[] }) {
  return (
    <div className="table-wrap" role="region" aria-label="Messages" tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Message</th>
            <th scope="col">Sent by</th>
            <th scope="col">Version</th>
            <th scope="col">Subject</th>
            <th scope="col">Updated</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {messages.map((m) => (
            <tr key={m.name}>
              <th scope="row">
                <Link to={`/messages/${encodeURIComponent(m.name)}`}>{m.name}</Link>
              </th>
              <td className={m.steps.length ? undefined : 'muted'}>{describeSteps(m.steps)}</td>
              <td>{m.version === 0 || m.builtIn ? 'built in' : describeVersion(m.version)}</td>
              <td className="message-list__subject">
                <code>{m.subject}</code>
              </td>
              <td>
                {m.updatedAt ? formatDateTime(m.updatedAt) : '—'}
                {m.updatedBy ? ` by ${m.updatedBy}` : ''}
              </td>
              <td>{m.note || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
