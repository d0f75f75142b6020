import type { ReactNode } from 'react';
import type { BoundCheckbox } from './use-schema-form';

type CheckboxFieldProps = BoundCheckbox & {
  /** The words beside the box, which name it. */
  children: ReactNode;
};

/** A checkbox with its words, the whole line clickable: spread `form.checkbox(name)` into it. */
export function CheckboxField({ name, checked, onChange, children }: CheckboxFieldProps) {
  return (
    <label className="checkbox">
      <input type="checkbox" name={name} checked={checked} onChange={onChange} />
      {children}
    </label>
  );
}
