import { useState } from 'react';
import { daySchema } from '../../../contracts/agent-states';
import { asSentence } from '../../lib/sentence';
import { TextField } from '../../lib/text-field';

/** Today in the browser's calendar, as a date input holds it. */
function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The day a daily screen shows: today at first; `valid` once the input holds a whole day. */
export function useDay() {
  const [date, setDate] = useState(today);
  const checked = daySchema.safeParse(date);
  const error = checked.success ? undefined : asSentence(checked.error.issues[0]?.message ?? 'Choose a day');
  return { date, setDate, valid: checked.success, error };
}

/** The "Day" date input of a daily screen, saying what is wrong with a day it cannot use. */
export function DayField({ day }: { day: ReturnType<typeof useDay> }) {
  return (
    <TextField
      label="Day"
      type="date"
      value={day.date}
      onChange={(event) => day.setDate(event.target.value)}
      error={day.error}
    />
  );
}
