import type { ButtonHTMLAttributes, MouseEvent } from 'react';

type PendingButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  /** While true the button shows `pendingLabel` and ignores clicks (and so form submits). */
  pending: boolean;
  pendingLabel: string;
  variant?: 'primary' | 'secondary';
};

/**
 * A button for an action that takes a moment. It stays focusable while pending
 * (`aria-disabled`, not `disabled`) so keyboard focus is not lost mid-action.
 */
export function PendingButton({
  pending,
  pendingLabel,
  variant = 'primary',
  className,
  onClick,
  children,
  ...rest
}: PendingButtonProps) {
  function handleClick(event: MouseEvent<HTMLButtonElement>) {
    if (pending) {
      event.preventDefault();
      return;
    }
    onClick?.(event);
  }
  const classes = ['button', `button-${variant}`, className].filter(Boolean).join(' ');
  return (
    <button
      {...rest}
      className={classes}
      aria-disabled={pending || rest['aria-disabled']}
      data-pending={pending || undefined}
      onClick={handleClick}
    >
      {pending ? (
        <>
          <span className="spinner" aria-hidden="true" />
          {pendingLabel}
        </>
      ) : (
        children
      )}
    </button>
  );
}
