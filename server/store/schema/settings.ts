import { bigint, pgTable, text } from 'drizzle-orm/pg-core';

// Server-wide settings.

/** Server-wide secrets and settings generated on first start (e.g. the SIP credential secret). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
});
