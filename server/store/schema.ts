// The database schema, one file per domain under schema/. drizzle.config.ts reads this file to
// write migrations, and the repositories import their tables from here.

export * from './schema/directory';
export * from './schema/sessions';
export * from './schema/audit-log';
export * from './schema/settings';
export * from './schema/call-records';
export * from './schema/recordings';
export * from './schema/trunks';
export * from './schema/contact-center';
export * from './schema/billing';
export * from './schema/kamailio';
