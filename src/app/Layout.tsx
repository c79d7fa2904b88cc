import type { ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { AccountStatus } from '../features/auth/components/AccountStatus';
import { useSignedInPatient } from '../features/auth/hooks/useSignIn';
import { PatientBanner } from '../features/patients/components/PatientBanner';
import { useAppConfig } from '../lib/appContext';
import { timeZoneAbbreviation } from '../../domain/clinicTime';
import { PRODUCT_NAME } from '../../domain/product';
import { ErrorBoundary } from './ErrorBoundary';
import { hrefFor, PATHS, useAppState, type ScreenPath } from './urlState';

type NavItem = { path: ScreenPath; label: string; needsPatient: boolean };

const DESK_NAV: NavItem[] = [
  { path: PATHS.find, label: 'Find patient', needsPatient: false },
  { path: PATHS.book, label: 'Book', needsPatient: true },
  { path: PATHS.appointments, label: 'Appointments', needsPatient: true },
  { path: PATHS.diary, label: 'Diary', needsPatient: false },
  { path: PATHS.messages, label: 'Messages', needsPatient: false },
];

const PATIENT_NAV: NavItem[] = [
  { path: PATHS.mine, label: 'Your appointments', needsPatient: false },
  { path: PATHS.bookMine, label: 'Book', needsPatient: false },
];

export function Layout({ children }: { children: ReactNode }) {
  const [location] = useLocation();
  const signedInPatient = useSignedInPatient();
  const deskState = useAppState();
  // A patient's own screens carry no chosen patient in the URL: they are always about the patient.
  const state = signedInPatient ? {} : deskState;
  const nav = signedInPatient ? PATIENT_NAV : DESK_NAV;
  const home = signedInPatient ? PATHS.mine : hrefFor(PATHS.find, state);
  const { timeZone } = useAppConfig();
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="app-header">
        <div className="app-header__inner">
          <Link href={home} className="brand">
            <span className="brand__mark" aria-hidden="true" />
            {PRODUCT_NAME}
          </Link>
          <nav aria-label="Main" className="nav">
            <ul className="nav__list">
              {nav
                .filter((item) => !item.needsPatient || state.patient)
                .map((item) => (
                  <li key={item.path}>
                    <Link
                      href={hrefFor(item.path, state)}
                      className="nav__link"
                      aria-current={location === item.path ? 'page' : undefined}
                    >
                      {item.label}
                    </Link>
                  </li>
                ))}
            </ul>
          </nav>
          <AccountStatus />
        </div>
      </header>
      {state.patient && (
        <PatientBanner
          key={state.patient}
          patientId={state.patient}
          actions={
            <Link
              href={hrefFor(PATHS.find, { ...state, patient: undefined, slot: undefined })}
              className="button button--secondary button--small"
            >
              Change patient
            </Link>
          }
        />
      )}
      <main id="main" className="main" tabIndex={-1}>
        <ErrorBoundary resetKey={location}>{children}</ErrorBoundary>
      </main>
      <footer className="app-footer">
        <p>
          Times are in the clinic&apos;s zone, {timeZone} ({timeZoneAbbreviation(new Date(), timeZone)} now).
        </p>
      </footer>
    </div>
  );
}
