import type { Me } from '../../../contracts/users';
import { PhoneStoreProvider } from '../phone-store-context';
import { usePhoneSession } from '../use-phone-session';
import { PhoneScreen } from './phone-screen';
import './phone.css';

/** The softphone's place in the shell: registers while mounted, un-registers on sign-out. */
export function PhonePanel({ me }: { me: Me }) {
  const store = usePhoneSession(me);
  return (
    <PhoneStoreProvider store={store}>
      <PhoneScreen userId={me.user.id} extension={me.user.extension} profile={me.profile} />
    </PhoneStoreProvider>
  );
}
