// The references bench:sip measures beside the edge, each in a child process of its own that
// tells its parent the port it listens on: the bare `ws` floor, the same on Node's sockets, and
// the lean registrar (real digest, no general stack).
import { sipHa1 } from '../../server/auth/passwords';
import { serveCannedRegistrar } from './canned-registrar';
import { serveCannedRegistrarOnNet } from './canned-registrar-net';
import { serveLeanRegistrar } from './lean-registrar';

export const REFERENCE_MODES = ['--canned', '--canned-net', '--lean'] as const;
export type ReferenceMode = (typeof REFERENCE_MODES)[number];

/** The reference `mode` names, for `users` of `account` (the lean one checks their passwords). */
export function serveReferenceRegistrar(
  mode: ReferenceMode,
  users: readonly string[],
  account: { domain: string; password: string },
): void {
  process.on('disconnect', () => process.exit(0)); // the bench ended or was interrupted
  const listening =
    mode === '--canned'
      ? serveCannedRegistrar()
      : mode === '--canned-net'
        ? serveCannedRegistrarOnNet()
        : serveLeanRegistrar(
            account.domain,
            new Map(users.map((user) => [user, sipHa1(user, account.domain, account.password, 'MD5')])),
          );
  void listening.then((port) => process.send?.({ kind: 'listening', port }));
}
