import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { AppContextProvider } from '../lib/appContext';
import type { AppConfig } from '../lib/config';
import { FHIR_BASE, TIME_ZONE } from './fhirFixtures';

export const testConfig: AppConfig = {
  fhirBaseUrl: FHIR_BASE,
  facilityId: 'F0K068-B',
  timeZone: TIME_ZONE,
  patientChangeCutoffMinutes: 120,
};

/** The app's providers: config, a fresh query cache (no retries) and a URL in memory. */
function appProviders(url: string, config: AppConfig = testConfig) {
  const [path, search = ''] = url.split('?');
  const location = memoryLocation({ path, searchPath: search, record: true });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  function AppProviders({ children }: { children: ReactNode }) {
    return (
      <AppContextProvider config={config} documentUrl="http://app.test/">
        <QueryClientProvider client={queryClient}>
          <Router hook={location.hook} searchHook={location.searchHook}>
            {children}
          </Router>
        </QueryClientProvider>
      </AppContextProvider>
    );
  }
  return { AppProviders, location, queryClient };
}

/** Renders with the app's providers; `config` as another deployment's /config.json would say. */
export function renderApp(ui: ReactNode, { url = '/', config }: { url?: string; config?: AppConfig } = {}) {
  const { AppProviders, location, queryClient } = appProviders(url, config);
  const view = render(ui, { wrapper: AppProviders });
  return { ...view, location, queryClient };
}

/** Runs a hook with the app's providers. */
export function renderHookInApp<Result>(hook: () => Result, { url = '/' }: { url?: string } = {}) {
  const { AppProviders, location, queryClient } = appProviders(url);
  const view = renderHook(hook, { wrapper: AppProviders });
  return { ...view, location, queryClient };
}
