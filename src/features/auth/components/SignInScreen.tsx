import { useEffect, useState } from 'react';
import { Spinner } from '../../../components/Spinner';
import { PRODUCT_NAME } from '../../../../domain/product';

interface SignInScreenProps {
  problem?: string;
  signedOut?: boolean;
  /** The authorization URL to go to. */
  signIn: () => Promise<string>;
  navigate: (url: string) => void;
}

/** Before sign-in: what happens and one button; the server's own page asks for the details. */
export function SignInScreen({ problem, signedOut, signIn, navigate }: SignInScreenProps) {
  const [going, setGoing] = useState(false);
  useEffect(() => {
    document.title = `Sign in · ${PRODUCT_NAME}`;
  }, []);
  return (
    <div className="app">
      <header className="app-header">
        <div className="app-header__inner">
          <span className="brand">
            <span className="brand__mark" aria-hidden="true" />
            {PRODUCT_NAME}
          </span>
        </div>
      </header>
      <main id="main" className="main">
        <div className="screen screen--narrow sign-in">
          <h1 className="screen__title">Sign in</h1>
          {signedOut && (
            <p className="notice" role="status">
              You are signed out.
            </p>
          )}
          {problem && (
            <p className="error-summary" role="alert">
              {problem}
            </p>
          )}
          <p>
            Patients book and cancel their own appointments; clinic staff book for patients. Both sign in on the
            clinic&apos;s sign-in page and come straight back here.
          </p>
          <button
            type="button"
            className="button button--primary button--wide"
            aria-busy={going}
            onClick={() => {
              if (going) return;
              setGoing(true);
              void signIn().then(navigate, () => setGoing(false));
            }}
          >
            {going && <Spinner />}
            Sign in
          </button>
        </div>
      </main>
    </div>
  );
}
