import { useId } from 'react';

type RadioGroupProps<T extends string> = {
  legend: string;
  /** The input's name, shared by its options. */
  name: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
  hint?: string | undefined;
};

/**
 * One choice among a few, as native radio buttons in a fieldset: arrow keys move between them,
 * and the legend names the group.
 */
export function RadioGroup<T extends string>({
  legend,
  name,
  value,
  options,
  onChange,
  hint,
}: RadioGroupProps<T>) {
  const hintId = useId();
  return (
    <fieldset className="field checkbox-group" aria-describedby={hint ? hintId : undefined}>
      <legend className="field-label">{legend}</legend>
      {hint ? (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <div className="radio-list">
        {options.map((option) => (
          <label key={option.value} className="checkbox">
            <input
              type="radio"
              name={name}
              value={option.value}
              checked={value === option.value}
              onChange={() => onChange(option.value)}
            />
            {option.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
