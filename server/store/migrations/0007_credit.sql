CREATE TABLE "call_charges" (
	"call_id" text PRIMARY KEY NOT NULL,
	"profile_id" integer,
	"number" text NOT NULL,
	"prefix" text NOT NULL,
	"price_micros" bigint NOT NULL,
	"first_increment" integer NOT NULL,
	"next_increment" integer NOT NULL,
	"currency" text NOT NULL,
	"amount_minor" bigint DEFAULT 0 NOT NULL,
	"billed_seconds" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "credit_account" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"currency" text DEFAULT 'EUR' NOT NULL,
	"balance_minor" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_account_one_row" CHECK ("credit_account"."id" = 1),
	CONSTRAINT "credit_account_balance_not_negative" CHECK ("credit_account"."balance_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "profile_credit" (
	"profile_id" integer PRIMARY KEY NOT NULL,
	"credit_minor" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "profile_credit_not_negative" CHECK ("profile_credit"."credit_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "rates" (
	"id" serial PRIMARY KEY NOT NULL,
	"prefix" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"price_micros" bigint NOT NULL,
	"first_increment" integer NOT NULL,
	"next_increment" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rates_prefix_unique" UNIQUE("prefix")
);
--> statement-breakpoint
ALTER TABLE "call_records" ADD COLUMN "charge_minor" bigint;--> statement-breakpoint
ALTER TABLE "call_records" ADD COLUMN "charge_currency" text;--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD COLUMN "profile_id" integer;--> statement-breakpoint
ALTER TABLE "call_charges" ADD CONSTRAINT "call_charges_profile_id_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."profiles"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "profile_credit" ADD CONSTRAINT "profile_credit_profile_id_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "call_charges_profile_idx" ON "call_charges" USING btree ("profile_id");--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD CONSTRAINT "phone_numbers_profile_id_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."profiles"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "phone_numbers_profile_idx" ON "phone_numbers" USING btree ("profile_id");--> statement-breakpoint
-- The one account, in EUR until an admin chooses its currency.
INSERT INTO "credit_account" ("id") VALUES (1) ON CONFLICT DO NOTHING;
