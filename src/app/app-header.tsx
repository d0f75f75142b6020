import type { Me } from '../../contracts/users';
import { PendingButton } from '../lib/pending-button';
import { roleLabels } from '../lib/role-labels';
import { useSignOut } from './session-queries';

type AppHeaderProps = { me: Me };

export function AppHeader({ me }: AppHeaderProps) {
  const signOut = useSignOut();
  return (
    <header className="app-header">
      <h1 className="brand">
        <img src="/favicon.svg" alt="" width="24" height="24" />
        Switchboard
      </h1>
      <div className="header-user">
        <p className="signed-in-as">
          <span className="visually-hidden">Signed in as </span>
          <span className="user-name">{me.user.displayName}</span>
          <span className="visually-hidden">, </span>
          <span className="user-meta">
            <span className="role-badge">{roleLabels[me.user.role]}</span>
            <span className="visually-hidden">, </span>
            <span className="user-profile">
              {me.profile ? (
                <>
                  Profile <span className="profile-name">{me.profile.name}</span>
                </>
              ) : (
                'No profile'
              )}
            </span>
          </span>
        </p>
        <PendingButton
          type="button"
          variant="secondary"
          pending={signOut.isPending}
          pendingLabel="Signing out…"
          onClick={() => signOut.mutate()}
        >
          Sign out
        </PendingButton>
      </div>
      {signOut.isError ? (
        <p role="alert" className="header-alert">
          Signing out failed: {signOut.error.message}
        </p>
      ) : null}
    </header>
  );
}
