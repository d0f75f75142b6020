import { useEffect, useMemo, useRef } from 'react';
import type { Me } from '../../contracts/users';
import { AgentHistoryScreen } from './agent-history/agent-history-screen';
import { AuditScreen } from './audit/audit-screen';
import { sectionsForRole } from './console-sections';
import type { ConsoleSectionId } from './console-sections';
import { GroupsScreen } from './groups/groups-screen';
import { CallHistoryScreen } from './history/call-history-screen';
import { NumbersScreen } from './numbers/numbers-screen';
import { OperatorScreen } from './operator/operator-screen';
import { ProfilesScreen } from './profiles/profiles-screen';
import { QueuesScreen } from './queues/queues-screen';
import { ReportsScreen } from './reports/reports-screen';
import { SeatsScreen } from './seats/seats-screen';
import { TrunksScreen } from './trunks/trunks-screen';
import { CreditScreen } from './credit/credit-screen';
import { UserDevicesDialog } from './devices/user-devices-dialog';
import { UsersScreen } from './users/users-screen';
import { WallboardScreen } from './wallboard/wallboard-screen';
import './admin.css';
import { sectionHref, useHashSection } from './use-hash-section';

type ConsolePanelProps = { me: Me };

/** The console's navigation and the section it shows, limited to what the user's role may see. */
export function ConsolePanel({ me }: ConsolePanelProps) {
  const role = me.user.role;
  const bargeGroup = me.profile?.bargeGroup ?? null;
  const sections = useMemo(() => sectionsForRole(role, { bargeGroup }), [role, bargeGroup]);
  const requested = useHashSection();
  const active = sections.find((section) => section.id === requested) ?? sections[0];
  const headingRef = useRef<HTMLHeadingElement>(null);
  const movedByUser = useRef(false);
  const activeId = active?.id;

  useEffect(() => {
    if (!movedByUser.current) return;
    movedByUser.current = false;
    headingRef.current?.focus();
  }, [activeId]);

  if (!active) return null;

  return (
    <div className="console-panel">
      <nav className="console-nav" aria-label="Console sections">
        <ul>
          {sections.map((section) => (
            <li key={section.id}>
              <a
                href={sectionHref(section.id)}
                aria-current={section.id === active.id ? 'page' : undefined}
                onClick={() => {
                  movedByUser.current = true;
                }}
              >
                {section.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <section className="console-section" aria-labelledby="console-section-title">
        <h3 id="console-section-title" ref={headingRef} tabIndex={-1}>
          {active.title}
        </h3>
        <p>{active.description}</p>
        {active.readOnlyNote ? <p className="read-only-note">{active.readOnlyNote}</p> : null}
        <SectionContent id={active.id} me={me} />
      </section>
    </div>
  );
}

/** The screen of a section. */
function SectionContent({ id, me }: { id: ConsoleSectionId; me: Me }) {
  switch (id) {
    case 'profiles':
      return <ProfilesScreen me={me} />;
    case 'seats':
      return <SeatsScreen />;
    case 'users':
      return <UsersScreen me={me} DevicesDialog={UserDevicesDialog} />;
    case 'groups':
      return <GroupsScreen me={me} />;
    case 'trunks':
      return <TrunksScreen />;
    case 'numbers':
      return <NumbersScreen />;
    case 'credit':
      return <CreditScreen me={me} />;
    case 'calls':
      return <CallHistoryScreen key="all" scope="all" me={me} />;
    case 'my-calls':
      return <CallHistoryScreen key="own" scope="own" me={me} />;
    case 'audit':
      return <AuditScreen />;
    case 'operator':
      return <OperatorScreen me={me} />;
    case 'wallboard':
      return <WallboardScreen />;
    case 'queues':
      return <QueuesScreen />;
    case 'reports':
      return <ReportsScreen />;
    case 'agent-history':
      return <AgentHistoryScreen />;
  }
}
