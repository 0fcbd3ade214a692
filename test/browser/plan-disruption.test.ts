import type { Page } from 'playwright-core';
import { axeOnPage } from '../support/axe';
import { describeInBrowser, screenshot, useBrowserSession } from '../support/browser';
import { expectData } from '../support/factories';
import { completePlan } from '../support/plan-factories';
import { signIn } from './sign-in';

async function expectAccessible(page: Page, screen: string): Promise<void> {
  expect((await axeOnPage(page)).seriousViolations.map((f) => `${screen}: ${f}`)).toEqual([]);
}

/** Recording a disruption against a plan action, from the plan page (issue 15). */
describeInBrowser('web client: a disruption recorded from a plan action', () => {
  const session = useBrowserSession();

  it('opens the disruption form with the threat, the action, its strand and tactic chosen, and saves the claim against the action', async () => {
    const { threat, plan } = await completePlan(session.app, 'tvp.investigator', { name: 'Operation Vetch' });
    const action = plan.actions.find((a: any) => a.description.includes('Operation Vetch'));
    const { page } = session.watched;
    await signIn(page, 'tvp.investigator');
    await page.goto(`/plans/${encodeURIComponent(plan.id)}`);
    await page.getByRole('link', { name: `Record a disruption achieved by “${action.description}”` }).click();
    await page.getByRole('heading', { level: 1, name: 'Record a disruption' }).waitFor();
    await page.getByTestId('from-action').getByText(`Achieved by the plan action “${action.description}” of ${threat.urn} Operation Vetch.`).waitFor();
    expect(await page.getByLabel('Threat', { exact: true }).inputValue()).toBe(threat.id);
    expect(await page.getByLabel('Plan action (optional)').inputValue()).toBe(action.id);
    expect(await page.getByLabel('Strand', { exact: true }).inputValue()).toBe('PURSUE');
    expect(await page.getByLabel('Tactic', { exact: true }).inputValue()).toBe('CRIME');
    await expectAccessible(page, 'disruption-from-action');

    await page.getByLabel('Date', { exact: true }).fill(new Date().toISOString().slice(0, 10));
    await page.getByRole('radio', { name: /^Moderate/ }).check();
    await page.getByLabel('What was done').fill('Warrants executed at both line holders’ addresses.');
    await page.getByLabel('Impact', { exact: true }).fill('The line stopped running; two children safeguarded.');
    await page.getByLabel('Evidence references').fill('43/77001/26');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL((url) => /\/disruptions\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith('/new'));
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    const saved = expectData(await session.app.gql('tvp.investigator', `query ($id: ID!) { node(id: $id) { ... on Disruption { status strand tactic threat { id } planAction { id } } } }`, { id }));
    expect(saved.node).toEqual({ status: 'DRAFT', strand: 'PURSUE', tactic: 'CRIME', threat: { id: threat.id }, planAction: { id: action.id } });
    await page.getByText('Warrants executed at both line holders’ addresses.').waitFor();
    await screenshot(page, 'disruption-from-plan-action');
  });
});
