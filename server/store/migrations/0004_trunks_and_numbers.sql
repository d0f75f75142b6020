CREATE TABLE "phone_numbers" (
	"id" serial PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"label" text DEFAULT '' NOT NULL,
	"user_id" integer,
	"group_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "phone_numbers_number_unique" UNIQUE("number")
);
--> statement-breakpoint
CREATE TABLE "trunks" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"host" text NOT NULL,
	"port" integer NOT NULL,
	"transport" text NOT NULL,
	"auth_kind" text NOT NULL,
	"username" text,
	"password_sealed" text,
	"addresses" text[] DEFAULT '{}'::text[] NOT NULL,
	"caller_id" text NOT NULL,
	"number_format" jsonb NOT NULL,
	"prefixes" text[] DEFAULT '{}'::text[] NOT NULL,
	"priority" integer NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trunks_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "call_records" ADD COLUMN "direction" text DEFAULT 'internal' NOT NULL;--> statement-breakpoint
ALTER TABLE "call_records" ADD COLUMN "number" text;--> statement-breakpoint
ALTER TABLE "call_records" ADD COLUMN "trunk" text;--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD CONSTRAINT "phone_numbers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD CONSTRAINT "phone_numbers_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "phone_numbers_user_idx" ON "phone_numbers" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "phone_numbers_group_idx" ON "phone_numbers" USING btree ("group_id");--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD CONSTRAINT "phone_numbers_one_assignment" CHECK ("user_id" IS NULL OR "group_id" IS NULL);
