import fs from 'node:fs';
import type { Page } from 'playwright-core';

/** axe-core's browser bundle, injected into the page under test once. */
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core run on the page as it is now: every serious or critical violation, one line per node
 * (`rule at target: help`), and the rules that should have applied but did not (contrast always;
 * labels when a visible input, textarea or select is on the page), so that a screen cannot pass
 * by being skipped.
 */
export async function axeOnPage(page: Page): Promise<{ seriousViolations: string[]; rulesNotApplied: string[] }> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const { axe, document } = globalThis as any;
    const results = await axe.run(document);
    const applied = new Set([...results.passes, ...results.violations, ...results.incomplete].map((r: any) => r.id));
    const expected = ['color-contrast'];
    const shown = (selector: string) => [...document.querySelectorAll(selector)].some((el: any) => el.checkVisibility());
    if (shown('input:not([type=hidden]), textarea')) expected.push('label');
    if (shown('select')) expected.push('select-name');
    return {
      rulesNotApplied: expected.filter((rule) => !applied.has(rule)),
      seriousViolations: results.violations.flatMap((v: any) =>
        v.nodes.filter((n: any) => ['serious', 'critical'].includes(n.impact ?? v.impact)).map((n: any) => `${v.id} at ${n.target.join(' ')}: ${v.help}`),
      ) as string[],
    };
  });
}
