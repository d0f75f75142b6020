-- The user search looks for its text anywhere in username, display name, extension and email: a
-- trigram index on them (pg_trgm, a trusted extension in PostgreSQL; PGlite is opened with it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "users_search_trgm_idx" ON "users" USING gin ((lower("username" || E'\x1f' || "display_name" || E'\x1f' || "extension" || E'\x1f' || coalesce("email", ''))) gin_trgm_ops) WITH (fastupdate=false);
