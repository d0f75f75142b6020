import type { QueueFormValues } from './queue-form-values';

/** The part of the queue form's state a group of its fields reads and changes. */
export type QueueFormFields = {
  values: QueueFormValues;
  set: <K extends keyof QueueFormValues & string>(key: K, value: QueueFormValues[K]) => void;
  errorFor: (key: keyof QueueFormValues & string) => string | undefined;
};
