import pg from 'pg';
import { describeInBrowser, screenshot, useBrowserSession } from '../support/browser';
import { createThreat, expectData } from '../support/factories';
import { signIn } from './sign-in';

/**
 * An agreement that lapses by date removes, live, what a partner has open (issue 15), as a
 * suspended one does (agreement-withdrawal.test.ts). A lapse is no change anyone makes: the
 * server now notices it (modules/sharing/agreement-lapses.ts, checking every 200 ms here) and
 * announces it on the event log, and the partner's page shows the withdrawal notice.
 */
describeInBrowser('web client: an agreement lapsing by date withdraws what a partner has open', () => {
  const session = useBrowserSession({ env: { AGREEMENT_LAPSE_CHECK_MS: '200' } });

  it("shows the partner the withdrawal notice soon after the agreement's end date comes and no longer shows the record", async () => {
    const threat = await createThreat(session.app, 'tvp.investigator', { name: 'Operation Hawthorn', access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' } });
    const node = async () => expectData(await session.app.gql('oxon.mash', `query ($id: ID!) { node(id: $id) { id } }`, { id: threat.id }, { purpose: 'SAFEGUARDING' })).node;
    expect(await node()).toEqual({ id: threat.id });
    const agreements = expectData(
      await session.app.gql('serocu.admin', `{ sharingAgreements(first: 100, filter: { inForce: true, dataCategory: THREAT }) { edges { node { id title parties { code } } } } }`),
    ).sharingAgreements.edges.map((e: any) => e.node).filter((a: any) => ['TVP', 'OXON_CS'].every((c) => a.parties.some((p: any) => p.code === c)));
    expect(agreements).toHaveLength(1);

    const partner = session.watched.page;
    await signIn(partner, 'oxon.mash', 'Safeguarding');
    await partner.goto(`/threats/${encodeURIComponent(threat.id)}`);
    await partner.getByRole('heading', { level: 1, name: /Operation Hawthorn/ }).waitFor();
    await partner.getByTestId('connection').getByText('Live', { exact: true }).waitFor();

    // Midnight comes for the agreement: its end date is today. The database owner moves it, as
    // time would, outside any request: nobody's change, no event of its own.
    const owner = new pg.Client({ connectionString: session.app.db.url });
    await owner.connect();
    try {
      await owner.query(`update information_sharing_agreement set expires_on = current_date where title = $1`, [agreements[0].title]);
    } finally {
      await owner.end();
    }
    expect(await node()).toBeNull();

    // Generous bounds (a loaded machine): the lapse is found within 200 ms, then announced and delivered.
    await partner.getByTestId('live-notices').getByText('Operation Hawthorn is no longer shared with you.').waitFor({ timeout: 15_000 });
    await partner.getByText('This threat does not exist or you may not see it.').waitFor({ timeout: 15_000 });
    expect(await partner.getByRole('heading', { level: 1, name: /Operation Hawthorn/ }).count()).toBe(0);
    await screenshot(partner, 'agreement-lapsed-partner');
  });
});
