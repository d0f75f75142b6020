import type { ComponentProps } from 'react';
import { TextField } from '../../lib/text-field';

type NameFieldProps = Omit<ComponentProps<typeof TextField>, 'hint'> & {
  /** A name that fits, for the hint: "carrier_de". */
  example: string;
};

/** A record's name as the contracts allow it (lower-case letters, digits, underscores), typed as is. */
export function NameField({ example, ...input }: NameFieldProps) {
  return (
    <TextField
      hint={`Lower-case letters, digits and underscores, e.g. ${example}.`}
      autoCapitalize="none"
      spellCheck={false}
      {...input}
    />
  );
}
