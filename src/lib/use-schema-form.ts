import { useEffect, useState } from 'react';
import type { ChangeEvent, FormEvent, RefObject } from 'react';
import type { z } from 'zod';
import { fieldErrorsFromApi, fieldErrorsFromZod } from './form-errors';
import type { FieldErrors } from './form-errors';

/** The keys of a form's values that hold text: what an input, a select or a textarea edits. */
type TextKey<V> = { [K in keyof V]: V[K] extends string ? K : never }[keyof V] & string;

/** The keys of a form's values that hold a yes or no: what a checkbox edits. */
type BooleanKey<V> = { [K in keyof V]: V[K] extends boolean ? K : never }[keyof V] & string;

/** What `field(name)` gives a TextField, SelectField or textarea: one spread wires it. */
export type BoundField<T extends string = string> = {
  name: string;
  value: T;
  onChange: (event: ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) => void;
  error: string | undefined;
};

/** What `checkbox(name)` gives a CheckboxField. */
export type BoundCheckbox = {
  name: string;
  checked: boolean;
  onChange: (event: ChangeEvent<HTMLInputElement>) => void;
};

/**
 * Form state validated as you type with a contract's zod schema (the server's own messages):
 * a field shows its problem once it has been changed, every field once the form is submitted,
 * and the server's field messages until that field is changed again.
 */
export function useSchemaForm<V extends Record<string, unknown>, T>(
  initial: V,
  parse: (values: V) => z.ZodSafeParseResult<T>,
  /** The form, so a refused submit can focus its first invalid field. */
  formRef: RefObject<HTMLFormElement | null>,
) {
  const [values, setValues] = useState(initial);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState(0);

  const result = parse(values);
  const fieldNames = Object.keys(values);
  const clientErrors: FieldErrors = result.success ? {} : fieldErrorsFromZod(result.error, fieldNames);

  // After a refused submit, focus the first field that says what is wrong.
  useEffect(() => {
    if (attempt === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt, formRef]);

  function set<K extends keyof V & string>(key: K, value: V[K]) {
    setValues((previous) => ({ ...previous, [key]: value }));
    setTouched((previous) => (previous.has(key) ? previous : new Set(previous).add(key)));
    setServerErrors((previous) => {
      if (!(key in previous)) return previous;
      const { [key]: _dropped, ...rest } = previous;
      return rest;
    });
  }

  function errorFor(key: keyof V & string): string | undefined {
    return serverErrors[key] ?? (touched.has(key) || attempt > 0 ? clientErrors[key] : undefined);
  }

  /**
   * Binds a text-valued field in one call: `<TextField label="Name" {...form.field('name')} />`.
   * A select's options come from the same list as the value's type, so its value is taken as is.
   */
  function field<K extends TextKey<V>>(key: K): BoundField<V[K] & string> {
    return {
      name: key,
      value: values[key] as V[K] & string,
      onChange: (event) => set(key, event.target.value as V[K]),
      error: errorFor(key),
    };
  }

  /** Binds a yes-or-no field: `<CheckboxField {...form.checkbox('enabled')}>Enabled</CheckboxField>`. */
  function checkbox<K extends BooleanKey<V>>(key: K): BoundCheckbox {
    return {
      name: key,
      checked: values[key] as boolean,
      onChange: (event) => set(key, event.target.checked as V[K]),
    };
  }

  /** The parsed input to send, or null (and the problems shown) when it is not valid. */
  function submit(): T | null {
    if (result.success) return result.data;
    setAttempt((count) => count + 1);
    return null;
  }

  /**
   * The form's submit handler: it stays on the page, does nothing while `pending`, shows the
   * problems when the values are not valid, and otherwise hands `save` the parsed input.
   */
  function onSubmit(pending: boolean, save: (input: T) => void) {
    return (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      if (pending) return;
      const input = submit();
      if (input) save(input);
    };
  }

  /** Shows the server's field messages; true when there were any for this form's fields. */
  function showServerErrors(error: unknown): boolean {
    const fields = fieldErrorsFromApi(error, Object.keys(values));
    const mine = Object.fromEntries(Object.entries(fields).filter(([key]) => key in values));
    setServerErrors(mine);
    if (Object.keys(mine).length === 0) return false;
    setAttempt((count) => count + 1);
    return true;
  }

  return {
    values,
    set,
    field,
    checkbox,
    errorFor,
    submit,
    onSubmit,
    showServerErrors,
    isValid: result.success,
  };
}
