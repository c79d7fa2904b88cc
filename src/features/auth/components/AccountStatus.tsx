import { useSignIn } from '../hooks/useSignIn';

/** In the header: who is signed in and a way out, or plainly that this server has no sign-in. */
export function AccountStatus() {
  const state = useSignIn();
  if (state.kind === 'open') {
    return (
      <p className="account account--open" role="note">
        Open server: no sign-in
      </p>
    );
  }
  const who = state.name ?? (state.role.kind === 'patient' ? 'a patient' : 'clinic staff');
  return (
    <div className="account">
      <span className="account__name">Signed in as {who}</span>
      <button type="button" className="button button--header button--small" onClick={state.signOut}>
        Sign out
      </button>
    </div>
  );
}
