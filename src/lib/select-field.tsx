import type { ReactNode, Ref, SelectHTMLAttributes } from 'react';
import { FieldFrame } from './field-frame';

type SelectFieldProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> & {
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
  ref?: Ref<HTMLSelectElement>;
  children: ReactNode;
};

/** A labelled select with its hint and error wired like `TextField`. */
export function SelectField({ label, error, hint, ref, className, children, ...select }: SelectFieldProps) {
  return (
    <FieldFrame
      label={label}
      error={error}
      hint={hint}
      className={className}
      control={(wiring) => (
        <select {...select} ref={ref} {...wiring}>
          {children}
        </select>
      )}
    />
  );
}
