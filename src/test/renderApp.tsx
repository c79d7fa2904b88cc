import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { AppContextProvider } from '../lib/appContext';
import type { AppConfig } from '../lib/config';
import { FHIR_BASE, TIME_ZONE } from './fhirFixtures';

export const testConfig: AppConfig = { fhirBaseUrl: FHIR_BASE, facilityId: 'F0K068-B', timeZone: TIME_ZONE };

/** Renders with the app's providers: config, a fresh query cache (no retries) and a URL in memory. */
export function renderApp(ui: ReactNode, { url = '/' }: { url?: string } = {}) {
  const [path, search = ''] = url.split('?');
  const location = memoryLocation({ path, searchPath: search, record: true });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const view = render(
    <AppContextProvider config={testConfig} documentUrl="http://app.test/">
      <QueryClientProvider client={queryClient}>
        <Router hook={location.hook} searchHook={location.searchHook}>
          {ui}
        </Router>
      </QueryClientProvider>
    </AppContextProvider>,
  );
  return { ...view, location, queryClient };
}
