import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SignInContext } from '../hooks/useSignIn';
import { AccountStatus } from './AccountStatus';
import { SignInScreen } from './SignInScreen';

describe('sign-in in the shell', () => {
  it('says plainly when the server is open and nobody signs in', () => {
    render(<AccountStatus />);
    expect(screen.getByRole('note')).toHaveTextContent('Open server: no sign-in');
    expect(screen.queryByRole('button', { name: 'Sign out' })).not.toBeInTheDocument();
  });

  it('names who is signed in and signs out', async () => {
    let signedOut = 0;
    render(
      <SignInContext.Provider
        value={{
          kind: 'signed-in',
          role: { kind: 'staff' },
          name: 'Reception (demo)',
          signOut: () => (signedOut += 1),
        }}
      >
        <AccountStatus />
      </SignInContext.Provider>,
    );
    expect(screen.getByText('Signed in as Reception (demo)')).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Sign out' }));
    expect(signedOut).toBe(1);
  });

  it('the sign-in screen goes to the authorization address once, and shows why sign-in failed', async () => {
    const went: string[] = [];
    let asked = 0;
    render(
      <SignInScreen
        problem="Signing in did not work: the code has expired."
        signIn={async () => {
          asked += 1;
          return 'http://auth.test/authorize?state=1';
        }}
        navigate={(url) => went.push(url)}
      />,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('the code has expired');
    const user = userEvent.setup();
    await user.dblClick(screen.getByRole('button', { name: 'Sign in' }));
    expect(asked).toBe(1);
    expect(went).toEqual(['http://auth.test/authorize?state=1']);
  });
});
