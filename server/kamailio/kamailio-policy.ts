import { and, eq, sql } from 'drizzle-orm';
import type { Disposition } from '../../contracts/calls';
import type { KamailioPolicyAnswer, KamailioPolicyRequest } from '../../contracts/kamailio';
import { formatMonitorMark, parseMonitorMark, type MonitorMark } from '../../contracts/monitor-header';
import { canPlaceCall, canTakeSeat, type ProfileLoad } from '../../contracts/policy/call-admission';
import type { Decision } from '../../contracts/policy/decision';
import { canMonitor } from '../../contracts/policy/monitoring';
import { canCallNumber, normaliseDialled } from '../../contracts/policy/outbound-dialing';
import { parseEphemeralUsername } from '../sip/auth/ephemeral-credentials';
import type { Db } from '../store/database';
import type { SipAccount } from '../store/sip-accounts-repository';
import { kamailioCalls, kamailioLocation, kamailioSubscriber, users } from '../store/schema';
import { MIX_CFLAG, type KamailioAccounts, type KamailioCalls } from './kamailio-calls';
import { sipUserOf } from './sip-user';

/** What the policy reads: the directory the built-in edge uses, web sessions, Kamailio's tables. */
export interface KamailioPolicyPorts {
  db: Db;
  accounts: KamailioAccounts & { isMember(group: string, userId: number): Promise<boolean> };
  sessions: { hasLiveSession(userId: number): Promise<boolean> };
  calls: KamailioCalls;
  defaultCountryCode: string;
}

const refuse = (status: number, reason: string): KamailioPolicyAnswer => ({ allow: false, status, reason });

/**
 * Decides a request Kamailio is about to route, with the same policy functions (and so the same
 * sentences) as the built-in edge: seats on REGISTER, call admission and outbound dialing on
 * INVITE, the monitoring rules on a marked INVITE or INFO. Counts come from PostgreSQL, so every
 * Switchboard server behind the Kamailio instances decides alike.
 */
export async function decideKamailioRequest(
  ports: KamailioPolicyPorts,
  request: KamailioPolicyRequest,
): Promise<KamailioPolicyAnswer> {
  const account = await ports.accounts.byUsername(request.user);
  if (!account) return refuse(403, `There is no user ${request.user}`);
  const ephemeral = request.authUsername ? parseEphemeralUsername(request.authUsername) : null;
  if (
    ephemeral &&
    (ephemeral.user !== account.username || ephemeral.generation !== account.sipCredentialGeneration)
  )
    return refuse(
      403,
      'These SIP credentials have ended (signed out, new password, role or profile); sign in again',
    );

  const mark = parseMonitorMark(request.monitor);
  if (request.method === 'REGISTER') return register(ports, account, request);
  if (request.method === 'INVITE' && mark) return monitorInvite(ports, account, request, mark);
  if (request.method === 'INVITE') return invite(ports, account, request);
  if (mark) return modeChange(ports, account, request, mark);
  return { allow: true };
}

/** Whether `name` (a To or From user) is the user's own address or one of their desk phones. */
async function owns(db: Db, account: SipAccount, name: string | null): Promise<boolean> {
  if (name === null || name === account.username) return name !== null;
  const rows = await db
    .select({ user: kamailioSubscriber.switchboardUser })
    .from(kamailioSubscriber)
    .where(eq(kamailioSubscriber.username, name));
  return rows.some((row) => row.user === account.username);
}

async function register(
  ports: KamailioPolicyPorts,
  account: SipAccount,
  request: KamailioPolicyRequest,
): Promise<KamailioPolicyAnswer> {
  if (!(await owns(ports.db, account, sipUserOf(request.toUri))))
    return refuse(403, 'You may register only your own address');
  const profile = account.profile;
  if (!profile) return refuse(403, 'No SIP profile');
  const live = sql`${kamailioLocation.expires} > localtimestamp`;
  // A phone of a user already seated (a refresh, another tab or desk phone) takes no new seat:
  // one lookup by user, the common case, instead of reading every seat of the profile.
  const own = await ports.db
    .select({ one: sql<number>`1` })
    .from(kamailioLocation)
    .innerJoin(kamailioSubscriber, eq(kamailioSubscriber.username, kamailioLocation.username))
    .where(and(eq(kamailioSubscriber.switchboardUser, account.username), live))
    .limit(1);
  if (own.length > 0) return { allow: true };
  const [seats] = await ports.db
    .select({ n: sql<number>`count(distinct ${kamailioSubscriber.switchboardUser})::int` })
    .from(kamailioLocation)
    .innerJoin(kamailioSubscriber, eq(kamailioSubscriber.username, kamailioLocation.username))
    .innerJoin(users, eq(users.username, kamailioSubscriber.switchboardUser))
    .where(and(eq(users.profileId, profile.id), live));
  return answerOf(canTakeSeat({ capacity: profile.capacity, seatsInUse: seats?.n ?? 0 }));
}

async function loadOf(ports: KamailioPolicyPorts, account: SipAccount | null): Promise<ProfileLoad | null> {
  const profile = account?.profile;
  if (!profile) return null;
  return {
    name: profile.name,
    flags: profile.flags,
    channelLimit: profile.channelLimit,
    channelsInUse: await ports.calls.channelsInUseNow(profile.id),
  };
}

async function invite(
  ports: KamailioPolicyPorts,
  caller: SipAccount,
  request: KamailioPolicyRequest,
): Promise<KamailioPolicyAnswer> {
  if (!(await owns(ports.db, caller, sipUserOf(request.fromUri))))
    return refuse(403, 'You may call only from your own address');
  const target = sipUserOf(request.requestUri);
  if (!target) return refuse(404, 'Say whom to call: a user or an extension');
  const callee = (await ports.accounts.byUsername(target)) ?? (await ports.accounts.byExtension(target));
  const refused = async (status: number, reason: string, disposition: Disposition) => {
    await ports.calls.refused(caller, callee, request, reason, disposition);
    return refuse(status, reason);
  };
  if (!callee) {
    const number = normaliseDialled(target, ports.defaultCountryCode);
    if (!number) return refused(404, `Nobody has the number or name ${target}`, 'failed');
    const dialing = canCallNumber(caller.profile, number);
    if (!dialing.allowed) return refused(403, dialing.reason, 'refused');
    return refused(
      404,
      `Calls to outside numbers (${number.e164}) need the built-in edge's trunks`,
      'failed',
    );
  }
  const decision = canPlaceCall(await loadOf(ports, caller), await loadOf(ports, callee));
  if (!decision.allowed) return refused(403, decision.reason, 'refused');
  return { allow: true };
}

async function canMix(db: Db, agent: SipAccount): Promise<boolean> {
  const rows = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(kamailioLocation)
    .innerJoin(kamailioSubscriber, eq(kamailioSubscriber.username, kamailioLocation.username))
    .where(
      and(
        eq(kamailioSubscriber.switchboardUser, agent.username),
        sql`(${kamailioLocation.cflags} & ${MIX_CFLAG}) <> 0`,
        sql`${kamailioLocation.expires} > localtimestamp`,
      ),
    );
  return (rows[0]?.n ?? 0) > 0;
}

async function monitorCheck(
  ports: KamailioPolicyPorts,
  operator: SipAccount,
  agent: SipAccount,
  mark: MonitorMark,
  callId: string | null,
) {
  const call = await ports.calls.answeredCallOf(agent.userId, callId);
  const bargeGroup = operator.profile?.bargeGroup ?? null;
  const decision = canMonitor(
    {
      userId: operator.userId,
      role: operator.role,
      signedIn: await ports.sessions.hasLiveSession(operator.userId),
      profile: operator.profile,
    },
    {
      userId: agent.userId,
      displayName: agent.displayName,
      role: agent.role,
      inBargeGroup: bargeGroup !== null && (await ports.accounts.isMember(bargeGroup, agent.userId)),
      onCall: call !== null,
      canMix: await canMix(ports.db, agent),
    },
    mark.mode,
  );
  return { decision, call };
}

async function monitorInvite(
  ports: KamailioPolicyPorts,
  operator: SipAccount,
  request: KamailioPolicyRequest,
  mark: MonitorMark,
): Promise<KamailioPolicyAnswer> {
  const target = sipUserOf(request.requestUri) ?? '';
  const agent = (await ports.accounts.byUsername(target)) ?? (await ports.accounts.byExtension(target));
  if (!agent) return refuse(404, `Nobody has the number or name ${target}`);
  const { decision, call } = await monitorCheck(ports, operator, agent, mark, mark.call);
  if (!decision.allowed || !call) return answerOf(decision);
  return {
    allow: true,
    monitorMark: formatMonitorMark({ mode: mark.mode, callId: call.callId, by: operator.displayName }),
  };
}

async function modeChange(
  ports: KamailioPolicyPorts,
  operator: SipAccount,
  request: KamailioPolicyRequest,
  mark: MonitorMark,
): Promise<KamailioPolicyAnswer> {
  const session = await ports.calls.byCallId(request.callId);
  if (!session?.monitorsCallId || session.callerUserId !== operator.userId || session.calleeUserId === null)
    return refuse(403, 'There is no monitor session of yours to change');
  const agent = await ports.accounts.byId(session.calleeUserId);
  if (!agent) return refuse(403, 'There is no monitor session of yours to change');
  const { decision } = await monitorCheck(ports, operator, agent, mark, session.monitorsCallId);
  if (!decision.allowed) return answerOf(decision);
  await ports.db
    .update(kamailioCalls)
    .set({ monitorMode: mark.mode })
    .where(eq(kamailioCalls.callId, request.callId));
  // Written when allowed: Kamailio forwards the INFO with the mark right after this answer.
  await ports.calls.monitorModeChanged(request.callId, mark.mode);
  return { allow: true, monitorMark: formatMonitorMark({ mode: mark.mode }) };
}

function answerOf(decision: Decision): KamailioPolicyAnswer {
  return decision.allowed ? { allow: true } : refuse(403, decision.reason);
}
