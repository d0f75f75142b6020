import type { Me } from '../../../contracts/users';
import type { PhoneStore } from '../phone-store';
import { PhoneStoreProvider } from '../phone-store-context';
import { PhoneScreen } from './phone-screen';
import './phone.css';

/**
 * The softphone's place in the shell, on the phone session the shell holds (see usePhoneSession):
 * the shell also gives that session to the console, which starts monitor sessions on it.
 */
export function PhonePanel({ me, store }: { me: Me; store: PhoneStore }) {
  return (
    <PhoneStoreProvider store={store}>
      <PhoneScreen userId={me.user.id} extension={me.user.extension} profile={me.profile} />
    </PhoneStoreProvider>
  );
}
