import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ImportJob, ImportPreview } from '../api/imports/types';
import { fail, fakeApi, list, ok, type FakeRequest } from '../test/fakeApi';
import { renderApp } from '../test/render';

const CSV = 'External ID,Email,Customer Name\r\nc-1,ada@example.com,Ada\r\nc-2,grace@example.com,Grace\r\n';

/** The server's preview: `name` is read from "Customer Name" only when the map says so. */
function previewFor(req: FakeRequest): ImportPreview {
  const named = req.query.get('map') === 'name=Customer Name';
  return {
    format: 'csv',
    columns: ['External ID', 'Email', 'Customer Name'],
    mapping: { externalId: 'External ID', email: 'Email', ...(named ? { name: 'Customer Name' } : {}) },
    unknown: named ? [] : ['Customer Name'],
    missing: [],
    fields: ['externalId', 'email', 'name', 'timeZone'],
    rows: [
      ['c-1', 'ada@example.com', 'Ada'],
      ['c-2', 'grace@example.com', 'Grace'],
    ],
  };
}

function aJob(over: Partial<ImportJob> = {}): ImportJob {
  return {
    id: 'imp-1',
    kind: 'clients',
    format: 'csv',
    status: 'running',
    phase: 'validating',
    rows: 0,
    bytesRead: 0,
    totalBytes: CSV.length,
    imported: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    clientsCreated: 0,
    atRisk: null,
    seconds: null,
    dryRun: false,
    error: null,
    createdBy: 'admin',
    startedAt: '2026-03-01T10:00:00Z',
    finishedAt: null,
    ...over,
  };
}

const done = aJob({
  status: 'done',
  phase: 'done',
  rows: 3,
  bytesRead: CSV.length,
  imported: 2,
  rejected: 1,
  clientsCreated: 2,
  atRisk: 1,
  seconds: 0.25,
  rejects: [{ line: 4, field: 'email', reason: 'not an email address' }],
});

async function chooseFile(user: ReturnType<typeof renderApp>['user']) {
  await user.upload(screen.getByLabelText('File'), new File([CSV], 'clients.csv', { type: 'text/csv' }));
}

afterEach(() => vi.restoreAllMocks());

describe('The Import page', () => {
  it('previews a file, maps a column, starts, follows the progress and shows the summary', async () => {
    let polls = 0;
    const api = fakeApi({
      'GET /api/imports': () => list([]),
      'POST /api/imports/preview': (req) => ok(previewFor(req)),
      'POST /api/imports': () => ok(aJob(), 202),
      'GET /api/imports/:id': () => (++polls < 2 ? ok(aJob({ rows: 1, bytesRead: 40, phase: 'writing' })) : ok(done)),
    });
    const { user } = renderApp('/import');
    await chooseFile(user);

    const firstRows = await screen.findByRole('region', { name: 'First rows of the file' });
    expect(within(firstRows).getByRole('cell', { name: 'grace@example.com' })).toBeInTheDocument();
    expect(screen.getByLabelText('Format')).toHaveValue('csv');
    expect(screen.getByLabelText('email')).toHaveValue('Email');
    expect(screen.getByLabelText('name')).toHaveValue('');
    expect(screen.getByTestId('import-unknown')).toHaveTextContent('Customer Name');
    expect(screen.getByRole('button', { name: 'Start import' })).toBeDisabled();
    const preview = api.callsTo('POST', '/api/imports/preview')[0];
    expect(preview?.query.get('kind')).toBe('clients');
    expect(preview?.headers['Content-Type']).toBe('text/csv');

    await user.selectOptions(screen.getByLabelText('name'), 'Customer Name');
    await waitFor(() => expect(screen.queryByTestId('import-unknown')).not.toBeInTheDocument());
    expect(screen.getByLabelText('Send at once (sweep)')).not.toBeChecked();
    expect(screen.getByText(/Nothing is emailed until the next sweep/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Start import' }));

    await waitFor(() => expect(api.callsTo('POST', '/api/imports')).toHaveLength(1));
    const start = api.callsTo('POST', '/api/imports')[0]!;
    expect(Object.fromEntries(start.query)).toEqual({ kind: 'clients', format: 'csv', map: 'name=Customer Name' });
    expect(start.headers['Content-Type']).toBe('text/csv');

    expect(await screen.findByText('Import finished.', {}, { timeout: 4000 })).toBeInTheDocument();
    expect(screen.getByTestId('import-imported')).toHaveTextContent('2');
    expect(screen.getByTestId('import-rejected')).toHaveTextContent('1');
    expect(screen.getByTestId('import-clientsCreated')).toHaveTextContent('2');
    expect(screen.getByTestId('import-atRisk')).toHaveTextContent('1');
    const rejects = screen.getByRole('region', { name: 'List of rejected rows' });
    expect(within(rejects).getByRole('cell', { name: 'not an email address' })).toBeInTheDocument();
    expect(polls).toBeGreaterThanOrEqual(2);
  });

  it('refuses to start while a required field has no column', async () => {
    fakeApi({
      'GET /api/imports': () => list([]),
      'POST /api/imports/preview': (req) => ok({ ...previewFor(req), missing: ['email'], unknown: [] }),
    });
    const { user } = renderApp('/import');
    await chooseFile(user);
    expect(await screen.findByText('No column for email: map it below.')).toBeInTheDocument();
    expect(screen.getByText('Required: choose its column.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Start import' })).toBeDisabled();
  });

  it('shows a refused start with its message and field, and a file over the limit', async () => {
    let status = 400;
    fakeApi({
      'GET /api/imports': () => list([]),
      'POST /api/imports/preview': (req) => ok({ ...previewFor(req), unknown: [] }),
      'POST /api/imports': () =>
        status === 400
          ? fail(400, 'invalid_argument', 'unknown field "nme" in map', 'map')
          : fail(413, 'payload_too_large', 'the body is over 256 MiB'),
    });
    const { user } = renderApp('/import');
    await chooseFile(user);
    await screen.findByRole('region', { name: 'First rows of the file' });
    await user.click(screen.getByRole('button', { name: 'Start import' }));
    const error = await screen.findByTestId('import-start-error');
    expect(error).toHaveTextContent('unknown field "nme" in map');
    expect(error).toHaveTextContent('About: map');
    status = 413;
    await user.click(screen.getByRole('button', { name: 'Start import' }));
    await waitFor(() => expect(screen.getByTestId('import-start-error')).toHaveTextContent('larger than the server'));
  });

  it('detects JSON Lines from the extension and lists recent imports', async () => {
    const api = fakeApi({
      'GET /api/imports': () => list([done]),
      'POST /api/imports/preview': (req) => ok({ ...previewFor(req), format: 'jsonl', unknown: [] }),
    });
    const { user } = renderApp('/import?kind=orders');
    const recent = await screen.findByRole('region', { name: 'List of recent imports' });
    expect(within(recent).getByRole('link', { name: '1 Mar 2026, 10:00' })).toHaveAttribute(
      'href',
      '/import?kind=orders&id=imp-1',
    );
    await user.upload(screen.getByLabelText('File'), new File(['{"orderDate":"2026-01-01"}\n'], 'orders.ndjson'));
    await waitFor(() => expect(api.callsTo('POST', '/api/imports/preview')).toHaveLength(1));
    const preview = api.callsTo('POST', '/api/imports/preview')[0]!;
    expect(preview.query.get('format')).toBe('jsonl');
    expect(preview.query.get('kind')).toBe('orders');
    expect(preview.headers['Content-Type']).toBe('application/x-ndjson');
  });
});
