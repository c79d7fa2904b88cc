import { createContext, useContext } from 'react';
import type { SignedInRole } from '../api/smartSession';

/** Who is using the app: nobody in particular against an open server, else whoever signed in. */
export type SignInState =
  { kind: 'open' } | { kind: 'signed-in'; role: SignedInRole; name: string | undefined; signOut: () => void };

export const SignInContext = createContext<SignInState>({ kind: 'open' });

export function useSignIn(): SignInState {
  return useContext(SignInContext);
}

/** The patient a signed-in patient is; undefined for staff and against an open server. */
export function useSignedInPatient(): string | undefined {
  const state = useSignIn();
  return state.kind === 'signed-in' && state.role.kind === 'patient' ? state.role.patientId : undefined;
}
