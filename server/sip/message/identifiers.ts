import { randomBytes } from 'node:crypto';
import { BRANCH_MAGIC_COOKIE } from './via';

function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

export function generateTag(): string {
  return randomToken(8);
}

export function generateBranch(): string {
  return `${BRANCH_MAGIC_COOKIE}${randomToken(12)}`;
}

export function generateCallId(): string {
  return randomToken(16);
}
