CREATE TABLE "agent_state_changes" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" integer,
	"username" text NOT NULL,
	"from_state" text NOT NULL,
	"to_state" text NOT NULL,
	"reason" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "queue_calls" (
	"id" serial PRIMARY KEY NOT NULL,
	"call_id" text NOT NULL,
	"queue_id" integer,
	"queue" text NOT NULL,
	"caller" text NOT NULL,
	"caller_name" text,
	"entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"offers" integer DEFAULT 0 NOT NULL,
	"outcome" text DEFAULT 'waiting' NOT NULL,
	"wait_ms" integer,
	"agent_id" integer,
	"agent_username" text,
	"answered_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"wrap_up_ended_at" timestamp with time zone,
	"overflow_to" text,
	"disposition" text,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "queue_members" (
	"id" serial PRIMARY KEY NOT NULL,
	"queue_id" integer NOT NULL,
	"user_id" integer,
	"group_id" integer,
	"priority" integer NOT NULL,
	CONSTRAINT "queue_members_one_kind" CHECK (("queue_members"."user_id" is null) <> ("queue_members"."group_id" is null))
);
--> statement-breakpoint
CREATE TABLE "queues" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"extension" text NOT NULL,
	"strategy" text NOT NULL,
	"ring_seconds" integer NOT NULL,
	"max_wait_seconds" integer NOT NULL,
	"overflow" jsonb NOT NULL,
	"wrap_up_seconds" integer NOT NULL,
	"service_level_seconds" integer NOT NULL,
	"dispositions" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "queues_name_unique" UNIQUE("name"),
	CONSTRAINT "queues_extension_unique" UNIQUE("extension")
);
--> statement-breakpoint
CREATE TABLE "reason_codes" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reason_codes_code_unique" UNIQUE("code")
);
--> statement-breakpoint
ALTER TABLE "agent_state_changes" ADD CONSTRAINT "agent_state_changes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "queue_calls" ADD CONSTRAINT "queue_calls_queue_id_queues_id_fk" FOREIGN KEY ("queue_id") REFERENCES "public"."queues"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "queue_calls" ADD CONSTRAINT "queue_calls_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "queue_members" ADD CONSTRAINT "queue_members_queue_id_queues_id_fk" FOREIGN KEY ("queue_id") REFERENCES "public"."queues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "queue_members" ADD CONSTRAINT "queue_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "queue_members" ADD CONSTRAINT "queue_members_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agent_state_changes_at_idx" ON "agent_state_changes" USING btree ("at");--> statement-breakpoint
CREATE INDEX "agent_state_changes_user_idx" ON "agent_state_changes" USING btree ("user_id","at");--> statement-breakpoint
CREATE INDEX "queue_calls_entered_idx" ON "queue_calls" USING btree ("entered_at");--> statement-breakpoint
CREATE INDEX "queue_calls_call_idx" ON "queue_calls" USING btree ("call_id");--> statement-breakpoint
CREATE INDEX "queue_calls_agent_idx" ON "queue_calls" USING btree ("agent_id","answered_at");--> statement-breakpoint
CREATE INDEX "queue_calls_queue_idx" ON "queue_calls" USING btree ("queue_id","entered_at");--> statement-breakpoint
CREATE UNIQUE INDEX "queue_members_user_idx" ON "queue_members" USING btree ("queue_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "queue_members_group_idx" ON "queue_members" USING btree ("queue_id","group_id");--> statement-breakpoint
CREATE INDEX "queue_members_by_user_idx" ON "queue_members" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "queue_members_by_group_idx" ON "queue_members" USING btree ("group_id");