-- Short-lived SIP credentials carry the user's generation; bumping it ends the ones issued before.
ALTER TABLE "users" ADD COLUMN "sip_credential_generation" integer DEFAULT 0 NOT NULL;