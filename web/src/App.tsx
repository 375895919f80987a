import { Route, Routes } from 'react-router';
import { Layout } from './components/Layout';
import { AddClientPage } from './pages/AddClientPage';
import { ClientDetailPage } from './pages/ClientDetailPage';
import { ClientsPage } from './pages/ClientsPage';
import { EffectivenessPage } from './pages/EffectivenessPage';
import { EmailDetailPage } from './pages/EmailDetailPage';
import { EmailsPage } from './pages/EmailsPage';
import { ExperimentPage } from './pages/ExperimentPage';
import { ExperimentsPage } from './pages/ExperimentsPage';
import { ImportPage } from './pages/ImportPage';
import { IntegrationsPage } from './pages/IntegrationsPage';
import { JourneyPage } from './pages/JourneyPage';
import { MessagePage } from './pages/MessagePage';
import { MessagesPage } from './pages/MessagesPage';
import { ModelPage } from './pages/ModelPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { OverviewPage } from './pages/OverviewPage';
import { SettingsPage } from './pages/SettingsPage';
import { SuppressionsPage } from './pages/SuppressionsPage';

/** The dashboard's routes; the server answers any non-/api path with index.html. */
export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<OverviewPage />} />
        <Route path="clients" element={<ClientsPage />} />
        <Route path="clients/new" element={<AddClientPage />} />
        <Route path="clients/:userId" element={<ClientDetailPage />} />
        <Route path="emails" element={<EmailsPage />} />
        <Route path="emails/:emailId" element={<EmailDetailPage />} />
        <Route path="effectiveness" element={<EffectivenessPage />} />
        <Route path="model" element={<ModelPage />} />
        <Route path="suppressions" element={<SuppressionsPage />} />
        <Route path="journey" element={<JourneyPage />} />
        <Route path="messages" element={<MessagesPage />} />
        <Route path="messages/:name" element={<MessagePage />} />
        <Route path="experiments" element={<ExperimentsPage />} />
        <Route path="experiments/:id" element={<ExperimentPage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="import" element={<ImportPage />} />
        <Route path="integrations" element={<IntegrationsPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
