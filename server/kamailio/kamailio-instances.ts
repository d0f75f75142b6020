import { sql } from 'drizzle-orm';
import type { KamailioKeepalive } from '../../contracts/kamailio';
import type { Db } from '../store/database';
import { kamailioCalls, kamailioInstances } from '../store/schema';

/** A `kamailio_calls` row as the sweep hands it back. */
export type KamailioCallRow = typeof kamailioCalls.$inferSelect;

/**
 * Notes that a Kamailio instance is alive, with the start time of the run that sent it. A start
 * time older than the one already noted (a keepalive sent before a restart, arriving late) does
 * not move it back.
 */
export async function heardFrom(db: Db, keepalive: KamailioKeepalive): Promise<void> {
  await db
    .insert(kamailioInstances)
    .values({ instance: keepalive.instance, boot: keepalive.boot, heardAt: sql`now()` })
    .onConflictDoUpdate({
      target: kamailioInstances.instance,
      set: {
        boot: sql`greatest(${kamailioInstances.boot}, excluded.boot)`,
        heardAt: sql`now()`,
      },
    });
}

/**
 * The calls no Kamailio will report the end of: those admitted by an earlier run of an instance
 * (it restarted: its dialogs are gone), and those of an instance silent for longer than
 * `silenceMs` (it died, or lost every server). Calls reported without an instance (an older
 * kamailio.cfg) are never among them. Answers their Call-IDs, for their rows to be taken out.
 */
export async function deadCalls(db: Db, silenceMs: number): Promise<string[]> {
  const rows = await db
    .select({ callId: kamailioCalls.callId })
    .from(kamailioCalls)
    .where(
      sql`exists (select 1 from ${kamailioInstances} i where i.instance = ${kamailioCalls.instance}
        and (i.boot > coalesce(${kamailioCalls.boot}, 0)
          or i.heard_at < now() - make_interval(secs => ${silenceMs / 1000})))`,
    );
  return rows.map((row) => row.callId);
}
