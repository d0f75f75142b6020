import type { z } from 'zod';
import {
  trunkCreateSchema,
  trunkUpdateSchema,
  type NumberFormat,
  type Trunk,
  type TrunkAuth,
  type TrunkTransport,
  type TrunkUpdate,
} from '../../../contracts/trunks';
import { numberOrUndefined } from '../../lib/form-errors';
import { prefixesText, splitList } from './trunk-labels';

/**
 * The trunk form's fields, named after the request paths they fill ("auth.password"), so a
 * field error from the schema or the server lands on the field it is about.
 */
export type TrunkFormValues = {
  name: string;
  host: string;
  port: string;
  transport: TrunkTransport;
  'auth.kind': TrunkAuth['kind'];
  'auth.username': string;
  /** Always empty at first: on edit, empty keeps the stored password. */
  'auth.password': string;
  /** The carrier's addresses, separated by commas or spaces. */
  'auth.addresses': string;
  callerId: string;
  'numberFormat.kind': NumberFormat['kind'];
  'numberFormat.stripPrefix': string;
  'numberFormat.nationalPrefix': string;
  /** E.164 prefixes, separated by commas or spaces. */
  prefixes: string;
  priority: string;
  enabled: boolean;
};

export const blankTrunk: TrunkFormValues = {
  name: '',
  host: '',
  port: '5060',
  transport: 'udp',
  'auth.kind': 'register',
  'auth.username': '',
  'auth.password': '',
  'auth.addresses': '',
  callerId: '',
  'numberFormat.kind': 'e164',
  'numberFormat.stripPrefix': '+49',
  'numberFormat.nationalPrefix': '0',
  prefixes: '+',
  priority: '100',
  enabled: true,
};

export function trunkValues(trunk: Trunk): TrunkFormValues {
  return {
    name: trunk.name,
    host: trunk.host,
    port: String(trunk.port),
    transport: trunk.transport,
    'auth.kind': trunk.auth.kind,
    'auth.username': trunk.auth.kind === 'register' ? trunk.auth.username : '',
    'auth.password': '',
    'auth.addresses': trunk.auth.kind === 'ip' ? trunk.auth.addresses.join(', ') : '',
    callerId: trunk.callerId,
    'numberFormat.kind': trunk.numberFormat.kind,
    'numberFormat.stripPrefix':
      trunk.numberFormat.kind === 'national'
        ? trunk.numberFormat.stripPrefix
        : blankTrunk['numberFormat.stripPrefix'],
    'numberFormat.nationalPrefix':
      trunk.numberFormat.kind === 'national'
        ? trunk.numberFormat.nationalPrefix
        : blankTrunk['numberFormat.nationalPrefix'],
    prefixes: prefixesText(trunk.prefixes),
    priority: String(trunk.priority),
    enabled: trunk.enabled,
  };
}

/** The number format the form describes now (for its live example too). */
export function formatOf(values: TrunkFormValues): NumberFormat {
  return values['numberFormat.kind'] === 'e164'
    ? { kind: 'e164' }
    : {
        kind: 'national',
        stripPrefix: values['numberFormat.stripPrefix'].trim(),
        nationalPrefix: values['numberFormat.nationalPrefix'].trim(),
      };
}

function authOf(values: TrunkFormValues) {
  if (values['auth.kind'] === 'ip') return { kind: 'ip', addresses: splitList(values['auth.addresses']) };
  const password = values['auth.password'];
  return {
    kind: 'register',
    username: values['auth.username'].trim(),
    ...(password === '' ? {} : { password }),
  };
}

/** The request body the form describes, before the schema checks it. */
function toInput(values: TrunkFormValues) {
  return {
    name: values.name.trim(),
    host: values.host.trim(),
    port: numberOrUndefined(values.port),
    transport: values.transport,
    auth: authOf(values),
    callerId: values.callerId.trim(),
    numberFormat: formatOf(values),
    prefixes: splitList(values.prefixes),
    priority: numberOrUndefined(values.priority),
    enabled: values.enabled,
  };
}

export const parseNewTrunk = (values: TrunkFormValues) => trunkCreateSchema.safeParse(toInput(values));

/**
 * An edit: every field must be valid, and a registering trunk needs a password unless one is
 * stored already (a trunk that authenticated by address has none).
 */
export function trunkEditSchema(trunk: Trunk) {
  const keepsPassword = trunk.auth.kind === 'register' && trunk.auth.hasPassword;
  return trunkUpdateSchema.required().superRefine((value, ctx) => {
    if (value.auth.kind === 'register' && value.auth.password === undefined && !keepsPassword)
      ctx.addIssue({
        code: 'custom',
        path: ['auth', 'password'],
        message: 'a registering trunk needs a password',
      });
  });
}
export type TrunkEdit = z.infer<ReturnType<typeof trunkEditSchema>>;

export const parseTrunkEdit = (trunk: Trunk, values: TrunkFormValues) =>
  trunkEditSchema(trunk).safeParse(toInput(values));

function sameAuth(before: Trunk['auth'], next: TrunkAuth): boolean {
  if (before.kind === 'register' && next.kind === 'register')
    return before.username === next.username && next.password === undefined;
  if (before.kind === 'ip' && next.kind === 'ip') return before.addresses.join() === next.addresses.join();
  return false;
}

/** Only what changed, so the audit log shows exactly what the person did. */
export function trunkChanges(trunk: Trunk, next: TrunkEdit): TrunkUpdate {
  const change: TrunkUpdate = {};
  if (next.name !== trunk.name) change.name = next.name;
  if (next.host !== trunk.host) change.host = next.host;
  if (next.port !== trunk.port) change.port = next.port;
  if (next.transport !== trunk.transport) change.transport = next.transport;
  if (!sameAuth(trunk.auth, next.auth)) change.auth = next.auth;
  if (next.callerId !== trunk.callerId) change.callerId = next.callerId;
  if (JSON.stringify(next.numberFormat) !== JSON.stringify(trunk.numberFormat))
    change.numberFormat = next.numberFormat;
  if (next.prefixes.join() !== trunk.prefixes.join()) change.prefixes = next.prefixes;
  if (next.priority !== trunk.priority) change.priority = next.priority;
  if (next.enabled !== trunk.enabled) change.enabled = next.enabled;
  return change;
}
