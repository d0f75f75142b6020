CREATE TABLE "kamailio_instances" (
	"instance" text PRIMARY KEY NOT NULL,
	"boot" bigint NOT NULL,
	"heard_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kamailio_calls" ADD COLUMN "instance" text;--> statement-breakpoint
ALTER TABLE "kamailio_calls" ADD COLUMN "boot" bigint;--> statement-breakpoint
CREATE INDEX "kamailio_calls_instance_idx" ON "kamailio_calls" USING btree ("instance");