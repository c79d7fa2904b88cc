import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { AppConfig } from './config';
import { createFhirClient, type FhirAuthorization, type FhirClient } from './fhirClient';

interface AppContextValue {
  config: AppConfig;
  client: FhirClient;
}

const AppContext = createContext<AppContextValue | null>(null);

interface AppContextProviderProps {
  config: AppConfig;
  /** The app's own root URL, which a relative FHIR base is resolved against. */
  documentUrl: string;
  /** The signed-in session's tokens; null against an open server. */
  authorization?: FhirAuthorization | null;
  children: ReactNode;
}

export function AppContextProvider({ config, documentUrl, authorization = null, children }: AppContextProviderProps) {
  const value = useMemo(
    () => ({ config, client: createFhirClient(config.fhirBaseUrl, config.facilityId, documentUrl, authorization) }),
    [config, documentUrl, authorization],
  );
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

function useAppContext(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('AppContextProvider is missing above this component.');
  return value;
}

export function useAppConfig(): AppConfig {
  return useAppContext().config;
}

export function useFhirClient(): FhirClient {
  return useAppContext().client;
}
