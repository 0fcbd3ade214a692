import { describeInBrowser, screenshot, useBrowserSession } from '../support/browser';
import { signIn } from './sign-in';

/** A partner's sanitised view in a real browser: withheld fields say so, with the reason, never a blank. */
describeInBrowser('web client: withheld fields', () => {
  const session = useBrowserSession();

  it('shows a partner (children’s services) "Withheld" and the reason for a threat’s summary and members', async () => {
    const { data } = await session.app.gql('oxon.mash', `{ threats(first: 1, orderBy: [{ field: NAME, direction: ASC }]) { edges { node { id name summary members { id } withheld { field reason } } } } }`);
    const threat = data.threats.edges[0]?.node;
    expect(threat).toBeDefined();
    expect(threat.summary).toBeNull();
    expect(threat.members).toBeNull();
    const reason = (field: string) => threat.withheld.find((w: { field: string }) => w.field === field)?.reason as string;
    expect(reason('summary')).toBeTruthy();
    expect(reason('members')).toBeTruthy();

    const { page } = session.watched;
    await signIn(page, 'oxon.mash');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Threats' }).click();
    const link = page.getByRole('link', { name: threat.name, exact: true });
    await link.waitFor();
    await link.click();
    await page.getByRole('heading', { name: new RegExp(threat.name), level: 1 }).waitFor();

    const summary = (await page.getByTestId('summary').textContent()) ?? '';
    expect(summary).toBe(`Withheld: ${reason('summary')}`);
    const members = (await page.getByTestId('members-withheld').textContent()) ?? '';
    expect(members).toBe(`Withheld: ${reason('members')}`);
    await page.getByRole('heading', { name: 'Members', exact: true }).waitFor();
    expect(await page.getByText('No members recorded').count()).toBe(0);
    await screenshot(page, 'threat-withheld');
  });
});
