import { createContext, createElement, useContext, useMemo, type ReactNode } from 'react';
import type { AppConfig } from './config';
import { createFhirClient, type FhirClient } from './fhirClient';

interface AppContextValue {
  config: AppConfig;
  client: FhirClient;
}

const AppContext = createContext<AppContextValue | null>(null);

export function AppContextProvider({ config, documentUrl, children }: { config: AppConfig; documentUrl: string; children: ReactNode }) {
  const value = useMemo(
    () => ({ config, client: createFhirClient(config.fhirBaseUrl, config.facilityId, documentUrl) }),
    [config, documentUrl],
  );
  // Plain createElement: src/lib is also type-checked by the server's config, which has no JSX.
  return createElement(AppContext.Provider, { value }, children);
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
