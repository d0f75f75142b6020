import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';

type AxeResult = {
  violations: { id: string; impact: string | null; help: string; nodes: { target: unknown }[] }[];
};

let axeSource: Promise<string> | undefined;

/** Runs axe-core in the page and returns one line per WCAG A/AA violation (none is the goal). */
export async function axeViolations(page: Page): Promise<string[]> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const source = await axeSource;
  const alreadyThere = await page.evaluate(() => 'axe' in window);
  // Evaluated through the DevTools protocol, which the app's Content-Security-Policy does not
  // govern: a <script> tag would be (rightly) refused.
  if (!alreadyThere) await page.evaluate(source);
  const result = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (context: Document, options: unknown) => Promise<unknown> } }
    ).axe;
    return axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      // Experimental in axe, so off unless named: a control whose name lacks its visible text.
      rules: { 'label-content-name-mismatch': { enabled: true } },
    });
  });
  return (result as AxeResult).violations.map(
    (violation) =>
      `${violation.impact ?? 'minor'} ${violation.id}: ${violation.help} (${violation.nodes
        .map((node) => JSON.stringify(node.target))
        .join(', ')})`,
  );
}
