CREATE TABLE "kamailio_calls" (
	"call_id" text PRIMARY KEY NOT NULL,
	"record_id" integer,
	"caller_user_id" integer,
	"callee_user_id" integer,
	"caller_profile_id" integer,
	"callee_profile_id" integer,
	"monitors_call_id" text,
	"monitor_mode" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "kamailio_location" (
	"id" serial PRIMARY KEY NOT NULL,
	"ruid" text DEFAULT '' NOT NULL,
	"username" text DEFAULT '' NOT NULL,
	"domain" text,
	"contact" text DEFAULT '' NOT NULL,
	"received" text,
	"path" text,
	"expires" timestamp DEFAULT '2030-05-28 21:32:15' NOT NULL,
	"q" real DEFAULT 1 NOT NULL,
	"callid" text DEFAULT 'Default-Call-ID' NOT NULL,
	"cseq" integer DEFAULT 1 NOT NULL,
	"last_modified" timestamp DEFAULT '2000-01-01 00:00:01' NOT NULL,
	"flags" integer DEFAULT 0 NOT NULL,
	"cflags" integer DEFAULT 0 NOT NULL,
	"user_agent" text DEFAULT '' NOT NULL,
	"socket" text,
	"methods" integer,
	"instance" text,
	"reg_id" integer DEFAULT 0 NOT NULL,
	"server_id" integer DEFAULT 0 NOT NULL,
	"connection_id" integer DEFAULT 0 NOT NULL,
	"keepalive" integer DEFAULT 0 NOT NULL,
	"partition" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "kamailio_location_ruid_unique" UNIQUE("ruid")
);
--> statement-breakpoint
ALTER TABLE "kamailio_calls" ADD CONSTRAINT "kamailio_calls_caller_user_id_users_id_fk" FOREIGN KEY ("caller_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kamailio_calls" ADD CONSTRAINT "kamailio_calls_callee_user_id_users_id_fk" FOREIGN KEY ("callee_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kamailio_calls_caller_profile_idx" ON "kamailio_calls" USING btree ("caller_profile_id");--> statement-breakpoint
CREATE INDEX "kamailio_calls_callee_profile_idx" ON "kamailio_calls" USING btree ("callee_profile_id");--> statement-breakpoint
CREATE INDEX "kamailio_location_account_contact_idx" ON "kamailio_location" USING btree ("username","domain","contact");--> statement-breakpoint
CREATE INDEX "kamailio_location_expires_idx" ON "kamailio_location" USING btree ("expires");--> statement-breakpoint
CREATE INDEX "kamailio_location_connection_idx" ON "kamailio_location" USING btree ("server_id","connection_id");--> statement-breakpoint
CREATE VIEW "public"."kamailio_subscriber" AS (select u.username, u.sip_realm as domain, u.ha1_md5 as ha1, u.ha1_sha256, u.username as switchboard_user from users u union all select d.sip_username, d.sip_realm, d.ha1_md5, d.ha1_sha256, u.username from devices d join users u on u.id = d.user_id where d.kind = 'sip_phone');