import type { Me } from '../../contracts/users';
import { demoMe } from './demo-data';

// Who the msw handlers consider signed in. Reset after every test by setup.ts.
let current: Me | null = null;

export const fakeSession = {
  current: (): Me | null => current,
  signIn(username: string): Me {
    current = demoMe(username);
    return current;
  },
  signOut(): void {
    current = null;
  },
};
