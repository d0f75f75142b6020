import type { InputHTMLAttributes, Ref } from 'react';
import { FieldFrame, splitFrameProps } from './field-frame';

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> & {
  label: string;
  /** A sentence shown under the field, announced with it, and marking it invalid. */
  error?: string | undefined;
  hint?: string | undefined;
  ref?: Ref<HTMLInputElement>;
};

/** A labelled input with its hint and error message wired for assistive technology. */
export function TextField({ ref, ...props }: TextFieldProps) {
  const [frame, input] = splitFrameProps(props);
  return <FieldFrame {...frame} control={(wiring) => <input {...input} ref={ref} {...wiring} />} />;
}
