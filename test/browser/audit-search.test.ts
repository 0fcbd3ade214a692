import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { axeOnPage } from '../support/axe';
import { describeInBrowser, screenshot, useBrowserSession } from '../support/browser';
import { createThreat } from '../support/factories';
import { signIn } from './sign-in';

async function expectAccessible(page: Page, screen: string): Promise<void> {
  expect((await axeOnPage(page)).seriousViolations.map((f) => `${screen}: ${f}`)).toEqual([]);
}

/** Auditors: the audit search as one uses it, the CSV export and the chain check (issue 15). */
describeInBrowser('web client: an auditor searches, exports and checks the audit trail', () => {
  const session = useBrowserSession();

  it("finds a threat's events by its URN, names the records with links in plain words, narrows by a user's name and exports the search", async () => {
    const threat = await createThreat(session.app, 'serocu.analyst', { name: 'Operation Ledger' });
    const { page } = session.watched;
    await signIn(page, 'serocu.auditor', 'Audit');
    await page.getByRole('link', { name: 'Search the audit trail' }).click();
    await page.getByRole('heading', { name: 'Audit trail', level: 1 }).waitFor();

    // A reference no one can look up: said beside the field, readably.
    await page.getByLabel('Record', { exact: true }).fill('SE-1999-0001');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('.field-error').getByText(/No threat or referral you can see has the reference "SE-1999-0001"/).waitFor();
    await expectAccessible(page, 'audit-bad-record');

    await page.getByLabel('Record', { exact: true }).fill(threat.urn);
    await page.getByRole('button', { name: 'Search' }).click();
    const rows = page.getByTestId('audit-events').locator('tbody tr');
    await rows.first().waitFor();
    const created = rows.filter({ hasText: 'Created' });
    await created.getByRole('link', { name: `${threat.urn} Operation Ledger` }).waitFor();
    await created.getByText('Threat:').waitFor();
    expect(await page.getByTestId('audit-events').getByText('SocThreat').count()).toBe(0);
    await expectAccessible(page, 'audit-by-urn');

    // By a user's name: the analyst's events only; my own searches are left out by default.
    await page.getByLabel('Record', { exact: true }).fill('');
    const expected = (await session.app.gql('serocu.auditor', `{ auditEvents(filter: { user: "serocu.analyst", hideOwnSearches: true }) { totalCount } }`, {}, { purpose: 'AUDIT' })).data.auditEvents.totalCount;
    await page.getByLabel('User’s name').fill('serocu.analyst');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('navigation', { name: 'Pages' }).getByText(new RegExp(`of ${expected}$`)).waitFor();
    expect(await rows.filter({ hasText: 'serocu.auditor' }).count()).toBe(0);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Download (these \d+ events|this event) as CSV/ }).click()]);
    const csv = fs.readFileSync((await download.path())!, 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^event,at,username,organisation,action/);
    expect(csv.length).toBeGreaterThan(1);
    expect(csv.slice(1).every((line) => line.split(',')[2] === 'serocu.analyst')).toBe(true);
    await page.getByText('Downloaded. The export is recorded on the audit trail.').waitFor();
    const { data } = await session.app.gql('serocu.auditor', `{ auditEvents(first: 1, filter: { action: [EXPORT], user: "serocu.auditor" }) { edges { node { recordType detail } } } }`, {}, { purpose: 'AUDIT' });
    expect(data.auditEvents.edges[0].node).toMatchObject({ recordType: 'AuditEvent', detail: { formats: ['csv'] } });

    await page.getByRole('button', { name: 'Verify the audit chain' }).click();
    await page.getByTestId('chain-result').getByText(/Intact/).waitFor();
    await page.getByTestId('chain-result').getByText(/Checked .*: \d+ events, each against the one before it, and \d+ published chain heads? against the events as they are now/).waitFor();
    await expectAccessible(page, 'audit-chain');
    await screenshot(page, 'audit-auditor');
  });
});
