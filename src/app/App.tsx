import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { Route, Switch } from 'wouter';
import { EmptyState } from '../components/EmptyState';
import { AppContextProvider } from '../lib/appContext';
import type { AppConfig } from '../lib/config';
import { Layout } from './Layout';
import { createQueryClient } from './queryClient';
import { AppointmentsScreen } from './screens/AppointmentsScreen';
import { BookScreen } from './screens/BookScreen';
import { FindPatientScreen } from './screens/FindPatientScreen';
import { PATHS } from './urlState';

export function App({ config, documentUrl }: { config: AppConfig; documentUrl: string }) {
  const [queryClient] = useState(createQueryClient);
  return (
    <AppContextProvider config={config} documentUrl={documentUrl}>
      <QueryClientProvider client={queryClient}>
        <Layout>
          <Switch>
            <Route path={PATHS.find} component={FindPatientScreen} />
            <Route path={PATHS.book} component={BookScreen} />
            <Route path={PATHS.appointments} component={AppointmentsScreen} />
            <Route>
              <h1 className="screen__title">Page not found</h1>
              <EmptyState title="There is nothing at this address." />
            </Route>
          </Switch>
        </Layout>
      </QueryClientProvider>
    </AppContextProvider>
  );
}
