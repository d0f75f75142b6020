ALTER TABLE "phone_numbers" ADD COLUMN "queue_id" integer;--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD CONSTRAINT "phone_numbers_queue_id_queues_id_fk" FOREIGN KEY ("queue_id") REFERENCES "public"."queues"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "phone_numbers_queue_idx" ON "phone_numbers" USING btree ("queue_id");--> statement-breakpoint
ALTER TABLE "phone_numbers" DROP CONSTRAINT "phone_numbers_one_assignment";--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD CONSTRAINT "phone_numbers_one_assignment" CHECK (num_nonnulls("user_id", "group_id", "queue_id") <= 1);
