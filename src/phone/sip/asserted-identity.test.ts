import { describe, expect, it } from 'vitest';
import { assertedName } from './asserted-identity';

const message = (value?: string) => ({
  getHeader: (name: string) => (name.toLowerCase() === 'p-asserted-identity' ? value : undefined),
});

describe('assertedName', () => {
  it('reads the display name the edge asserts, quoted or not', () => {
    expect(assertedName(message('"Agent Three" <sip:1003@switchboard.local>'))).toBe('Agent Three');
    expect(assertedName(message('"Zoë \\"Z\\" Ng" <sip:1010@switchboard.local>'))).toBe('Zoë "Z" Ng');
    expect(assertedName(message('Agent Three <sip:1003@switchboard.local>'))).toBe('Agent Three');
  });

  it('is null without the header, without a name, or when it does not parse', () => {
    expect(assertedName(message())).toBeNull();
    expect(assertedName(message('<sip:1003@switchboard.local>'))).toBeNull();
    expect(assertedName(message('not a name-addr <<'))).toBeNull();
  });
});
