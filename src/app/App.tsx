import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { Redirect, Route, Switch } from 'wouter';
import { EmptyState } from '../components/EmptyState';
import { Loading } from '../components/Spinner';
import { SignInContext, type SignInState } from '../features/auth/hooks/useSignIn';
import { AppContextProvider } from '../lib/appContext';
import type { AppConfig } from '../lib/config';
import type { FhirAuthorization } from '../lib/fhirClient';
import { Layout } from './Layout';
import { createQueryClient } from './queryClient';
import { FindPatientScreen } from './screens/FindPatientScreen';
import { PATHS } from './urlState';

// The first screen (finding a patient) comes with the page; every other screen, and its forms and
// calendars, loads when it is first opened. Patients never load the desk's screens, nor the desk the patient's.
const deskScreens = () => import('./screens/deskScreens');
const BookScreen = lazy(() => deskScreens().then((module) => ({ default: module.BookScreen })));
const AppointmentsScreen = lazy(() => deskScreens().then((module) => ({ default: module.AppointmentsScreen })));
const DiaryScreen = lazy(() => deskScreens().then((module) => ({ default: module.DiaryScreen })));
const MessagesScreen = lazy(() => deskScreens().then((module) => ({ default: module.MessagesScreen })));
const MyAppointmentsScreen = lazy(() => import('./screens/patient/MyAppointmentsScreen'));
const MyBookingScreen = lazy(() => import('./screens/patient/MyBookingScreen'));

interface AppProps {
  config: AppConfig;
  documentUrl: string;
  /** Who signed in (and how to sign out); an open server has nobody. */
  signIn?: SignInState;
  authorization?: FhirAuthorization | null;
}

function NotFound() {
  return (
    <>
      <h1 className="screen__title">Page not found</h1>
      <EmptyState title="There is nothing at this address." />
    </>
  );
}

function StaffRoutes() {
  return (
    <Suspense fallback={<Loading label="Loading…" />}>
      <Switch>
        <Route path={PATHS.find} component={FindPatientScreen} />
        <Route path={PATHS.book} component={BookScreen} />
        <Route path={PATHS.appointments} component={AppointmentsScreen} />
        <Route path={PATHS.diary} component={DiaryScreen} />
        <Route path={PATHS.messages} component={MessagesScreen} />
        <Route component={NotFound} />
      </Switch>
    </Suspense>
  );
}

/** A patient sees only their own appointments and booking: no search, no other patient. */
function PatientRoutes({ patientId }: { patientId: string }) {
  return (
    <Suspense fallback={<Loading label="Loading…" />}>
      <Switch>
        <Route path={PATHS.mine}>
          <MyAppointmentsScreen patientId={patientId} />
        </Route>
        <Route path={PATHS.bookMine}>
          <MyBookingScreen patientId={patientId} />
        </Route>
        <Route>
          <Redirect to={PATHS.mine} replace />
        </Route>
      </Switch>
    </Suspense>
  );
}

function NoAccess() {
  return (
    <div className="screen screen--narrow">
      <h1 className="screen__title">No access to appointments</h1>
      <EmptyState title="You are signed in, but this sign-in gives no access to patients or appointments. Sign out and sign in with another account." />
    </div>
  );
}

export function App({ config, documentUrl, signIn = { kind: 'open' }, authorization = null }: AppProps) {
  const [queryClient] = useState(createQueryClient);
  const role = signIn.kind === 'signed-in' ? signIn.role : { kind: 'staff' as const };
  return (
    <SignInContext.Provider value={signIn}>
      <AppContextProvider config={config} documentUrl={documentUrl} authorization={authorization}>
        <QueryClientProvider client={queryClient}>
          <Layout>
            {role.kind === 'patient' ? (
              <PatientRoutes patientId={role.patientId} />
            ) : role.kind === 'staff' ? (
              <StaffRoutes />
            ) : (
              <NoAccess />
            )}
          </Layout>
        </QueryClientProvider>
      </AppContextProvider>
    </SignInContext.Provider>
  );
}
