import { randomBase64url } from './random-pool';
import { BRANCH_MAGIC_COOKIE } from './via';

export function generateTag(): string {
  return randomBase64url(8);
}

export function generateBranch(): string {
  return `${BRANCH_MAGIC_COOKIE}${randomBase64url(12)}`;
}

export function generateCallId(): string {
  return randomBase64url(16);
}
