/** Thrown by `fetchCredentials` when trying again cannot help (signed out, no profile). */
export class PermanentPhoneFailure extends Error {
  override name = 'PermanentPhoneFailure';
}

/** The edge answered REGISTER with a refusal: its status and reason phrase. */
export class RegistrationRefused extends Error {
  override name = 'RegistrationRefused';
  constructor(
    readonly status: number,
    readonly reasonPhrase: string,
  ) {
    super(`REGISTER refused: ${status} ${reasonPhrase}`);
  }
}

/** A digest challenge that the credentials did not meet (401 or 407). */
export function isAuthFailure(status: number): boolean {
  return status === 401 || status === 407;
}

/** Statuses worth trying again later rather than showing as a failure. */
export function isTransient(status: number): boolean {
  return status === 408 || status === 500 || status === 503 || status === 504;
}
