import { useEffect, useMemo, useRef } from 'react';
import type { Me } from '../../contracts/users';
import { sectionsForRole } from './console-sections';
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
      </section>
    </div>
  );
}
