import type { TrunkFormValues } from './trunk-form-values';

/** The part of the trunk form's state a group of its fields reads and changes. */
export type TrunkFormFields = {
  values: TrunkFormValues;
  set: <K extends keyof TrunkFormValues & string>(key: K, value: TrunkFormValues[K]) => void;
  errorFor: (key: keyof TrunkFormValues & string) => string | undefined;
};
