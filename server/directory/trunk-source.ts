import type { SecretBox } from '../auth/secret-box';
import type { Logger } from '../log';
import type { TrunkConfig, TrunkSource } from '../sip/trunks/trunk-config';
import type { DbOrTx } from '../store/database';
import { listTrunks, type TrunkRecord } from '../store/trunks-repository';

async function configOf(record: TrunkRecord, secretBox: SecretBox): Promise<TrunkConfig> {
  const { createdAt: _c, updatedAt: _u, auth, ...rest } = record;
  return {
    ...rest,
    auth:
      auth.kind === 'register'
        ? { kind: 'register', username: auth.username, password: await secretBox.open(auth.passwordSealed) }
        : { kind: 'ip', addresses: auth.addresses },
  };
}

/**
 * The edge's trunks, read from the store with their passwords opened, in priority order. A trunk
 * whose password cannot be opened (sealed under another key, or altered) is left out with a
 * warning naming it, so the other trunks still work; saving its password again brings it back.
 */
export function storeTrunkSource(db: DbOrTx, secretBox: SecretBox, log?: Logger): TrunkSource {
  return {
    async load() {
      const configs: TrunkConfig[] = [];
      for (const record of await listTrunks(db)) {
        try {
          configs.push(await configOf(record, secretBox));
        } catch (error) {
          log?.warn(
            `Trunk ${record.name} is left out: ${(error as Error).message.replace(/\.$/, '')} (Trunks → ${record.name} → password)`,
          );
        }
      }
      return configs;
    },
  };
}
