CREATE TABLE "recording_blobs" (
	"recording_id" text NOT NULL,
	"seq" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "recording_blobs_recording_id_seq_pk" PRIMARY KEY("recording_id","seq")
);
--> statement-breakpoint
CREATE TABLE "recordings" (
	"id" text PRIMARY KEY NOT NULL,
	"call_id" text NOT NULL,
	"user_id" integer,
	"username" text NOT NULL,
	"state" text DEFAULT 'recording' NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"last_chunk_at" timestamp with time zone,
	"duration_ms" integer,
	"bytes" bigint DEFAULT 0 NOT NULL,
	"pauses" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "profiles" ADD COLUMN "recording" text DEFAULT 'off' NOT NULL;--> statement-breakpoint
ALTER TABLE "profiles" ADD COLUMN "recording_retention_days" integer DEFAULT 90 NOT NULL;--> statement-breakpoint
ALTER TABLE "profiles" ADD COLUMN "recording_notice" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "recording_blobs" ADD CONSTRAINT "recording_blobs_recording_id_recordings_id_fk" FOREIGN KEY ("recording_id") REFERENCES "public"."recordings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recordings" ADD CONSTRAINT "recordings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "recordings_call_id_idx" ON "recordings" USING btree ("call_id");--> statement-breakpoint
CREATE INDEX "recordings_expires_idx" ON "recordings" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "recordings_state_idx" ON "recordings" USING btree ("state");