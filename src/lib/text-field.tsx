import type { InputHTMLAttributes, Ref } from 'react';
import { FieldFrame } from './field-frame';

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> & {
  label: string;
  /** A sentence shown under the field, announced with it, and marking it invalid. */
  error?: string | undefined;
  hint?: string | undefined;
  ref?: Ref<HTMLInputElement>;
};

/** A labelled input with its hint and error message wired for assistive technology. */
export function TextField({ label, error, hint, ref, className, ...input }: TextFieldProps) {
  return (
    <FieldFrame
      label={label}
      error={error}
      hint={hint}
      className={className}
      control={(wiring) => <input {...input} ref={ref} {...wiring} />}
    />
  );
}
