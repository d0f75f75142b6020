import { z } from 'zod';
import { nameSchema } from './names';
import { e164PrefixSchema, e164Schema } from './phone-numbers';

export const trunkTransports = ['udp', 'tcp'] as const;
export type TrunkTransport = (typeof trunkTransports)[number];

/** A host name or an IPv4/IPv6 address (no port, no brackets). */
const hostSchema = z
  .string({ error: 'host must be text' })
  .trim()
  .min(1, { error: 'host must not be empty' })
  .max(253, { error: 'host must be at most 253 characters' })
  .regex(
    /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$|^[0-9a-fA-F:.]+$/,
    {
      error: 'host must be a host name or an IP address, like sip.carrier.example or 203.0.113.10',
    },
  );

const ipAddressSchema = z.union([z.ipv4(), z.ipv6()], {
  error: 'each address must be an IPv4 or IPv6 address, like 203.0.113.10',
});

const portSchema = z
  .number({ error: 'port must be a number' })
  .int({ error: 'port must be a whole number' })
  .min(1, { error: 'port must be between 1 and 65535' })
  .max(65535, { error: 'port must be between 1 and 65535' });

/**
 * How the carrier knows us: `register` (the edge registers to the carrier with these credentials
 * and answers its 401/407 challenges on calls), or `ip` (Skype Connect's IP authentication: the
 * carrier sends from these addresses and a request from any other is refused 403).
 */
export const trunkAuthSchema = z.discriminatedUnion(
  'kind',
  [
    z
      .object({
        kind: z.literal('register'),
        username: z
          .string({ error: 'username must be text' })
          .trim()
          .min(1, { error: 'username must not be empty' })
          .max(128, { error: 'username must be at most 128 characters' }),
        /** Write-only: never in an answer. Omitted on update: the stored one is kept. */
        password: z
          .string({ error: 'password must be text' })
          .min(1, { error: 'password must not be empty' })
          .max(256, { error: 'password must be at most 256 characters' })
          .optional(),
      })
      .strict(),
    z
      .object({
        kind: z.literal('ip'),
        addresses: z
          .array(ipAddressSchema, { error: 'addresses must be a list of IP addresses' })
          .min(1, { error: 'give at least one address the carrier sends from' })
          .max(32, { error: 'at most 32 addresses' }),
      })
      .strict(),
  ],
  { error: 'authentication must be register (username, password) or ip (addresses)' },
);
export type TrunkAuth = z.infer<typeof trunkAuthSchema>;

/**
 * The number format the carrier wants in Request-URI and To: `e164` (+493012345678), or
 * `national`: a number starting with `stripPrefix` (+49) has it replaced by `nationalPrefix` (0),
 * so +493012345678 goes as 03012345678; other numbers go in E.164. Numbers the carrier sends us
 * are read back the same way.
 */
export const numberFormatSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('e164') }).strict(),
    z
      .object({
        kind: z.literal('national'),
        stripPrefix: e164PrefixSchema.refine((p) => p.length > 1, {
          error: 'the prefix to strip must be a country code, like +49',
        }),
        nationalPrefix: z
          .string({ error: 'the national prefix must be text' })
          .regex(/^[0-9]{0,4}$/, { error: 'the national prefix must be up to 4 digits, like 0' }),
      })
      .strict(),
  ],
  { error: 'number format must be e164, or national with a prefix to strip' },
);
export type NumberFormat = z.infer<typeof numberFormatSchema>;

const prioritySchema = z
  .number({ error: 'priority must be a number' })
  .int({ error: 'priority must be a whole number' })
  .min(0, { error: 'priority must be between 0 and 1000' })
  .max(1000, { error: 'priority must be between 0 and 1000' });

const trunkFields = {
  name: nameSchema('name'),
  host: hostSchema,
  port: portSchema,
  transport: z.enum(trunkTransports, { error: 'transport must be udp or tcp' }),
  auth: trunkAuthSchema,
  /** The caller ID sent to the carrier on outbound calls (the number it lets us present). */
  callerId: e164Schema('caller ID'),
  numberFormat: numberFormatSchema,
  /** E.164 prefixes it carries calls to; the longest matching prefix wins, then priority. */
  prefixes: z
    .array(e164PrefixSchema, { error: 'prefixes must be a list like ["+49", "+43"]' })
    .min(1, { error: 'give at least one prefix (+ alone: every number)' })
    .max(64, { error: 'at most 64 prefixes' })
    .transform((list) => [...new Set(list)]),
  /** Lower goes first; the next one is tried on 5xx, 408 or no answer (failover). */
  priority: prioritySchema,
  enabled: z.boolean({ error: 'enabled must be true or false' }),
};

export const trunkCreateSchema = z
  .object({
    ...trunkFields,
    port: portSchema.default(5060),
    transport: trunkFields.transport.default('udp'),
    numberFormat: numberFormatSchema.default({ kind: 'e164' }),
    prefixes: trunkFields.prefixes.default(['+']),
    priority: prioritySchema.default(100),
    enabled: trunkFields.enabled.default(true),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.auth.kind === 'register' && value.auth.password === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['auth', 'password'],
        message: 'a registering trunk needs a password',
      });
    }
  });
export type TrunkCreate = z.infer<typeof trunkCreateSchema>;

export const trunkUpdateSchema = z.object(trunkFields).partial().strict();
export type TrunkUpdate = z.infer<typeof trunkUpdateSchema>;

export const trunkStates = ['up', 'down', 'unknown', 'disabled'] as const;
export type TrunkState = (typeof trunkStates)[number];

/** What the edge knows of a trunk now: OPTIONS keep-alive every 30 s, and its registration. */
export const trunkStatusSchema = z.object({
  state: z.enum(trunkStates),
  /** The last OPTIONS round trip, in milliseconds. */
  roundTripMs: z.number().nullable(),
  checkedAt: z.string().nullable(),
  /** The last problem, as a sentence ("No answer to OPTIONS within 5 s", "503 Service Unavailable"). */
  lastError: z.string().nullable(),
  /** Only for `register` trunks. */
  registration: z
    .object({
      state: z.enum(['registered', 'registering', 'failed']),
      expiresAt: z.string().nullable(),
    })
    .nullable(),
});
export type TrunkStatus = z.infer<typeof trunkStatusSchema>;

export const trunkSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  host: z.string(),
  port: z.number().int(),
  transport: z.enum(trunkTransports),
  /** The password is never in an answer: only whether one is stored. */
  auth: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('register'), username: z.string(), hasPassword: z.boolean() }),
    z.object({ kind: z.literal('ip'), addresses: z.array(z.string()) }),
  ]),
  callerId: z.string(),
  numberFormat: numberFormatSchema,
  prefixes: z.array(z.string()),
  priority: z.number().int(),
  enabled: z.boolean(),
  status: trunkStatusSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Trunk = z.infer<typeof trunkSchema>;

export const trunkListSchema = z.object({
  items: z.array(trunkSchema),
  /** Whether trunk calls can have media now (rtpengine), with the sentence saying what to install. */
  media: z.object({ ready: z.boolean(), problem: z.string().nullable() }),
});
export type TrunkList = z.infer<typeof trunkListSchema>;
