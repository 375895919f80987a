import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { AppRoutes } from './App';
import { createQueryClient } from './api/queryClient';
import './styles.css';
import './controls.css';
import './import.css';
import './model.css';
import './integrations.css';
import './messages.css';
import './experiments.css';

const queryClient = createQueryClient();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      {/* No transitions: filters live in the URL, and a controlled checkbox or select
          must show its new value at once rather than flick back until a transition ends. */}
      <BrowserRouter useTransitions={false}>
        <AppRoutes />
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
