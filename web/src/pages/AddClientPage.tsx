import { useNavigate } from 'react-router';
import { useCreateUser } from '../api/users/mutations';
import { ClientForm } from '../components/ClientForm';
import { EMPTY_CLIENT_FORM, toNewUser } from '../lib/clientForm';
import { notify } from '../lib/notices';
import { usePageTitle } from '../lib/usePageTitle';

export function AddClientPage() {
  usePageTitle('Add client');
  const navigate = useNavigate();
  const create = useCreateUser();

  return (
    <div className="page page--narrow">
      <header className="page__header">
        <h1>Add client</h1>
        <p className="page__lead">
          Rekindle scores the client as soon as they are saved and writes to them if they are at risk.
        </p>
      </header>
      <div className="panel">
        <ClientForm
          initialValues={EMPTY_CLIENT_FORM}
          submitLabel="Add client"
          busyLabel="Adding…"
          busy={create.isPending}
          serverError={create.error}
          onSubmit={(values) =>
            create.mutate(toNewUser(values), {
              onSuccess: (user) => {
                notify(`${user.name} was added.`);
                void navigate(`/clients/${encodeURIComponent(user.userId)}`);
              },
            })
          }
          onCancel={() => void navigate('/clients')}
        />
      </div>
    </div>
  );
}
