import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App } from './App';
import { ApiError, setCsrfToken } from './lib/api';
import { SESSION_KEY } from './lib/session';
import './styles.css';

/** A session that ended (idle or absolute expiry, logout elsewhere) sends the user back to the login page. */
function onError(err: unknown): void {
  if (err instanceof ApiError && err.code === 'SESSION_REQUIRED') {
    setCsrfToken(undefined);
    client.setQueryData(SESSION_KEY, null);
  }
}

const client: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    // A 4xx will not change on a retry; the console shows it instead.
    queries: {
      retry: (n, err) => n < 2 && !(err instanceof ApiError && err.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={client}>
        <BrowserRouter basename="/console">
          <App />
        </BrowserRouter>
      </QueryClientProvider>
    </StrictMode>,
  );
