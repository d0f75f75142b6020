import { useQuery } from '@tanstack/react-query';
import { sessionQueries } from './session-queries';
import { SignInPage } from './sign-in-page';
import { SignedInLayout } from './signed-in-layout';

/** Shows sign-in or the signed-in shell, following the session the server reports. */
export function App() {
  const me = useQuery(sessionQueries.me());

  if (me.data === undefined) {
    if (me.isError) {
      return (
        <main className="centered-page">
          <title>Switchboard</title>
          <div className="notice-card" role="alert">
            <h1>Switchboard is not reachable</h1>
            <p>{me.error.message}</p>
            <button type="button" className="button button-primary" onClick={() => void me.refetch()}>
              Try again
            </button>
          </div>
        </main>
      );
    }
    return (
      <main className="centered-page">
        <title>Switchboard</title>
        <p role="status" className="loading-line">
          <span className="spinner" aria-hidden="true" />
          Loading Switchboard…
        </p>
      </main>
    );
  }
  if (me.data === null) return <SignInPage />;
  return <SignedInLayout me={me.data} />;
}
