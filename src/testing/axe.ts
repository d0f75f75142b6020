import axe from 'axe-core';

/**
 * axe-core on a rendered container, in jsdom: one line per serious or critical violation.
 * Colour contrast needs real layout and is checked in Chromium instead.
 */
export async function seriousAxeViolations(container: Element): Promise<string[]> {
  const result = await axe.run(container, {
    rules: { 'color-contrast': { enabled: false } },
    resultTypes: ['violations'],
  });
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.impact ?? ''} ${violation.id}: ${violation.help} (${violation.nodes
          .map((node) => node.html)
          .join(' | ')})`,
    );
}
