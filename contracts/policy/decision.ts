/** Every policy answer: allowed, or refused with a sentence a person can act on. */
export type Decision = { allowed: true } | { allowed: false; reason: string };

export const allow: Decision = { allowed: true };
export const refuse = (reason: string): Decision => ({ allowed: false, reason });
