import type { ReactNode, Ref, SelectHTMLAttributes } from 'react';
import { FieldFrame, splitFrameProps } from './field-frame';

type SelectFieldProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> & {
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
  ref?: Ref<HTMLSelectElement>;
  children: ReactNode;
};

/** A labelled select with its hint and error wired like `TextField`. */
export function SelectField({ ref, children, ...props }: SelectFieldProps) {
  const [frame, select] = splitFrameProps(props);
  return (
    <FieldFrame
      {...frame}
      control={(wiring) => (
        <select {...select} ref={ref} {...wiring}>
          {children}
        </select>
      )}
    />
  );
}
