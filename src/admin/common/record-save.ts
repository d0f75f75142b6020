import { useToaster, type Toaster } from '../../lib/toast-provider';

/** What a react-query mutation offers a save: `useMutation`'s result fits it. */
type SaveMutation<Variables, Saved> = {
  mutate: (variables: Variables, options: SaveOutcome<Saved>) => void;
};

type SaveOutcome<Saved> = { onSuccess: (saved: Saved) => void; onError: (error: unknown) => void };

/** A form's way to show the server's field messages (`useSchemaForm`'s `showServerErrors`). */
type ShowServerErrors = (error: unknown) => boolean;

type SaveWords<Saved> = {
  /** The toast's lead when the server refuses: "Could not change carrier_de". */
  failure: string;
  /** The toast once saved: "Trunk carrier_de saved." */
  success: (saved: Saved) => string;
};

/** Saved: a toast, then `onDone`. Refused: the server's field messages on the form and its sentence in a toast. */
function saveOutcome<Saved>(
  toaster: Toaster,
  words: SaveWords<Saved>,
  showServerErrors: ShowServerErrors,
  onDone: () => void,
): SaveOutcome<Saved> {
  return {
    onSuccess(saved) {
      toaster.success(words.success(saved));
      onDone();
    },
    onError(error) {
      showServerErrors(error);
      toaster.failure(words.failure, error);
    },
  };
}

/** Creates a record from a form's input, with a toast either way. */
export function useSaveNew<Input, Saved>(
  create: SaveMutation<Input, Saved>,
  words: SaveWords<Saved>,
  onDone: () => void,
) {
  const toaster = useToaster();
  return (input: Input, showServerErrors: ShowServerErrors) =>
    create.mutate(input, saveOutcome(toaster, words, showServerErrors, onDone));
}

/**
 * Sends only a record's changed fields, so the audit log shows exactly what the person did;
 * with nothing changed it is done at once.
 */
export function useSaveChange<Change extends object, Saved>(
  update: SaveMutation<{ id: number; change: Change }, Saved>,
  id: number,
  words: SaveWords<Saved>,
  onDone: () => void,
) {
  const toaster = useToaster();
  return (change: Change, showServerErrors: ShowServerErrors) => {
    if (Object.keys(change).length === 0) onDone();
    else update.mutate({ id, change }, saveOutcome(toaster, words, showServerErrors, onDone));
  };
}
