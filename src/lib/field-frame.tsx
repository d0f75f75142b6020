import { useId } from 'react';
import type { ReactNode } from 'react';

export type FieldControlProps = {
  id: string;
  className: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
};

/** What the frame shows around a control: a field component takes these beside the control's own. */
export type FrameProps = {
  label: string;
  /** A sentence shown under the field, announced with it, and marking it invalid. */
  error?: string | undefined;
  hint?: string | undefined;
  className?: string | undefined;
};

/** A field's props split into the frame's and the control's. */
export function splitFrameProps<P extends FrameProps>({ label, error, hint, className, ...control }: P) {
  return [{ label, error, hint, className }, control] as const;
}

type FieldFrameProps = FrameProps & {
  /** Renders the control with the id and ARIA wiring the frame made for it. */
  control: (props: FieldControlProps) => ReactNode;
};

/** Label, hint and error around one form control, wired for assistive technology. */
export function FieldFrame({ label, error, hint, className, control }: FieldFrameProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ');
  return (
    <div className={['field', className].filter(Boolean).join(' ')}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {control({
        id,
        className: 'field-input',
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy || undefined,
      })}
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
