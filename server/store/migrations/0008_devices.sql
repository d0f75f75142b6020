CREATE TABLE "devices" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"sip_username" text,
	"ha1_md5" text,
	"ha1_sha256" text,
	"sip_realm" text,
	"number" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "devices_sip_username_unique" UNIQUE("sip_username"),
	CONSTRAINT "devices_kind" CHECK (("devices"."kind" = 'sip_phone' and "devices"."sip_username" is not null and "devices"."ha1_md5" is not null and "devices"."ha1_sha256" is not null and "devices"."number" is null) or ("devices"."kind" = 'external_number' and "devices"."number" is not null and "devices"."sip_username" is null))
);
--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "devices_user_idx" ON "devices" USING btree ("user_id");