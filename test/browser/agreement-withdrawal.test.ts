import { describeInBrowser, openPage, screenshot, useBrowserSession } from '../support/browser';
import { createThreat, expectData } from '../support/factories';
import { signIn } from './sign-in';

/**
 * A suspended agreement removes, live, what a partner has open (issue 15). The partner's threat
 * page was loaded over HTTP and never changed since, so the server had sent its subscription
 * nothing about it and announced no withdrawal; the page kept the profile with no notice. The
 * web client now fetches again what is on screen when an agreement changes (lib/live.ts).
 */
describeInBrowser('web client: an agreement suspended withdraws what a partner has open', () => {
  const session = useBrowserSession();

  it("shows the partner the withdrawal notice within 2 s of the admin's suspension and no longer shows the record", async () => {
    const threat = await createThreat(session.app, 'tvp.investigator', { name: 'Operation Yarrow', access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' } });
    const node = async () => expectData(await session.app.gql('oxon.mash', `query ($id: ID!) { node(id: $id) { id } }`, { id: threat.id }, { purpose: 'SAFEGUARDING' })).node;
    expect(await node()).toEqual({ id: threat.id });
    // The one agreement in force through which Oxfordshire children's services read TVP's threats.
    const agreements = expectData(
      await session.app.gql('serocu.admin', `{ sharingAgreements(first: 100, filter: { inForce: true, dataCategory: THREAT }) { edges { node { id title parties { code } } } } }`),
    ).sharingAgreements.edges.map((e: any) => e.node).filter((a: any) => ['TVP', 'OXON_CS'].every((c) => a.parties.some((p: any) => p.code === c)));
    expect(agreements).toHaveLength(1);
    const [agreement] = agreements;

    const partner = session.watched.page;
    await signIn(partner, 'oxon.mash', 'Safeguarding');
    await partner.goto(`/threats/${encodeURIComponent(threat.id)}`);
    await partner.getByRole('heading', { level: 1, name: /Operation Yarrow/ }).waitFor();
    await partner.getByTestId('connection').getByText('Live', { exact: true }).waitFor();

    const admin = await openPage(session.browser, session.app.url);
    try {
      await signIn(admin.page, 'serocu.admin');
      await admin.page.goto('/agreements');
      await admin.page.getByRole('button', { name: `Manage ${agreement.title}` }).click();
      const panel = admin.page.getByRole('region', { name: /Manage “/ });
      await panel.getByLabel('Reason').fill('Breach reported by a party: sharing paused pending review');
      await panel.getByRole('button', { name: 'Suspend' }).click();
      const row = admin.page.getByTestId('agreements').getByRole('row').filter({ has: admin.page.getByRole('rowheader', { name: agreement.title, exact: true }) });
      await row.getByTestId('agreement-status').getByText('Suspended').waitFor();
      expect(await node()).toBeNull();

      // The bound the issue sets: the partner's page says so within 2 s of the suspension.
      await partner.getByTestId('live-notices').getByText('Operation Yarrow is no longer shared with you.').waitFor({ timeout: 2_000 });
      await partner.getByText('This threat does not exist or you may not see it.').waitFor({ timeout: 2_000 });
      expect(await partner.getByRole('heading', { level: 1, name: /Operation Yarrow/ }).count()).toBe(0);
      await screenshot(partner, 'agreement-withdrawn-partner');

      // Reinstated: the record comes back on the partner's page.
      await panel.getByRole('button', { name: 'Reinstate' }).click();
      await row.getByTestId('agreement-status').getByText('Active').waitFor();
      await partner.getByRole('heading', { level: 1, name: /Operation Yarrow/ }).waitFor();
      expect(admin.consoleErrors).toEqual([]);
    } finally {
      await admin.context.close();
    }
  });
});
