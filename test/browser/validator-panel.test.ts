import type { Page } from 'playwright-core';
import { axeOnPage } from '../support/axe';
import { describeInBrowser, screenshot, useBrowserSession } from '../support/browser';
import { expectData } from '../support/factories';
import { assessedThreat, daysAgo, dbId, sql, submittedDisruption } from '../support/disruption-factories';
import { signIn } from './sign-in';

async function expectAccessible(page: Page, screen: string): Promise<void> {
  expect((await axeOnPage(page)).seriousViolations.map((f) => `${screen}: ${f}`)).toEqual([]);
}

/** The validator's decision panel: what a validator weighs beside the decision (issue 15). */
describeInBrowser("web client: the validator's decision panel", () => {
  const session = useBrowserSession();

  it('shows the claimed level against its national definition, impact, evidence, how long it waited, and the late and duplicate flags with the record it may duplicate', async () => {
    const threat = await assessedThreat(session.app, { name: 'Operation Teasel' });
    const date = daysAgo(200);
    const first = await submittedDisruption(session.app, 'tvp.investigator', threat.id, { date, description: 'Panel test: the first claim.' });
    const second = await submittedDisruption(session.app, 'tvp.investigator', threat.id, {
      date,
      level: 'MAJOR',
      description: 'Panel test: the same event again.',
      impactNarrative: 'The group lost its only safe house and its courier network.',
      evidenceRefs: ['43/55501/26', 'Exhibit JT/4'],
    });
    await sql(session.app, `update disruption set submitted_at = now() - interval '3 days 2 hours' where id = ?`, [dbId(second.id)]);
    const facts = expectData(
      await session.app.gql('serocu.sro', `query ($id: ID!) { node(id: $id) { ... on Disruption { isLate possibleDuplicateOf { id } } } disruptionRules { levels { level definition } } }`, { id: second.id }),
    );
    expect(facts.node).toEqual({ isLate: true, possibleDuplicateOf: { id: first.id } });
    const majorDefinition = facts.disruptionRules.levels.find((l: any) => l.level === 'MAJOR').definition as string;

    // serocu.sro is a senior validator: MAJOR claims are theirs to decide.
    const { page } = session.watched;
    await signIn(page, 'serocu.sro');
    await page.goto(`/disruptions/${encodeURIComponent(second.id)}`);
    const panel = page.getByTestId('claim-for-decision');
    await panel.waitFor();
    await panel.getByText(`National definition: ${majorDefinition}`).waitFor();
    await panel.getByText('The group lost its only safe house and its courier network.').waitFor();
    await panel.getByText('Exhibit JT/4').waitFor();
    await panel.getByText(/^3 days \(submitted /).waitFor();
    await panel.getByText(/Reported more than \d+ days after the disruption of/).waitFor();
    await expectAccessible(page, 'decision-panel');
    await screenshot(page, 'decision-panel');
    await panel.getByRole('link', { name: /the claim of .* by Thames Valley Police/ }).click();
    await page.waitForURL((url) => url.pathname.endsWith(encodeURIComponent(first.id)));
    await page.getByText('Panel test: the first claim.').waitFor();

    // The queue's panel shows the same.
    await page.goto('/disruptions');
    const item = page.locator('li').filter({ hasText: 'Panel test: the same event again.' });
    await item.getByRole('button', { name: 'Decide' }).click();
    await item.getByTestId('claim-for-decision').getByText(`National definition: ${majorDefinition}`).waitFor();
    await item.getByTestId('claim-for-decision').getByRole('link', { name: /the claim of/ }).waitFor();
  });
});
