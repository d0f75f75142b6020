import type { SipAccount } from '../store/sip-accounts-repository';

/** Who a call's parties are: the directory the edge uses, by username or extension. */
export interface KamailioAccounts {
  byUsername(username: string): Promise<SipAccount | null>;
  byExtension(extension: string): Promise<SipAccount | null>;
  byId(userId: number): Promise<SipAccount | null>;
}
