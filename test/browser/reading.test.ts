import { describeInBrowser, screenshot, useBrowserSession } from '../support/browser';
import { signIn } from './sign-in';

/** Reading the regional picture in a real browser: sign-in, home, threats, a threat, a partner's referrals. */
describeInBrowser('web client: reading', () => {
  const session = useBrowserSession();

  it('signs in as a demo user and shows the home page', async () => {
    const { page } = session.watched;
    await signIn(page, 'serocu.analyst');
    await page.getByRole('heading', { name: 'Regional picture' }).waitFor();
    await page.getByRole('heading', { name: /Open threats by priority/ }).waitFor();
    await page.getByRole('heading', { name: /Plans needing attention/ }).waitFor();
    await page.getByRole('heading', { name: /Validated disruptions/ }).waitFor();
    expect(await page.getByTestId('signed-in').textContent()).toContain('SEROCU');
    await screenshot(page, 'home');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'SOC Hub: sign in' }).waitFor();
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.getItem('soc-hub.token'))).toBeNull();
  });

  it('searches threats and opens a threat page showing every criminal activity', async () => {
    const { data } = await session.app.gql('serocu.analyst', `{ threats(first: 100) { edges { node { id name criminalActivities { description } } } } }`);
    const threat = data.threats.edges.map((e: any) => e.node).sort((a: any, b: any) => b.criminalActivities.length - a.criminalActivities.length)[0];
    const { page } = session.watched;
    await signIn(page, 'serocu.analyst');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Threats' }).click();
    await page.getByRole('searchbox', { name: 'Search' }).fill(threat.name);
    await page.getByRole('button', { name: 'Search' }).click();
    const link = page.getByRole('link', { name: threat.name, exact: true });
    await link.waitFor();
    await screenshot(page, 'threats');
    await link.click();

    await page.getByRole('heading', { name: new RegExp(threat.name) , level: 1 }).waitFor();
    const rows = page.getByTestId('activities').locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(threat.criminalActivities.length);
    const shown = await page.getByTestId('activities').textContent();
    for (const activity of threat.criminalActivities) expect(shown).toContain(activity.description);
    await page.getByRole('heading', { name: /^History/ }).waitFor();
    await screenshot(page, 'threat');
  });

  it('ignores sort and filter values in the address that are not the server\'s (typed or old links): the list still shows', async () => {
    const { page } = session.watched;
    await signIn(page, 'serocu.analyst');
    await page.goto('/threats?sort=name&dir=sideways&status=NOPE&priority=URGENT&category=');
    await page.locator('table.list tbody tr').first().waitFor();
    expect(await page.locator('table.list tbody tr').count()).toBeGreaterThan(0);
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('lets a partner (children’s services) user reach its referrals inbox and a referral', async () => {
    const { page } = session.watched;
    await signIn(page, 'oxon.mash', 'Safeguarding');
    expect(await page.getByTestId('signed-in').textContent()).toContain('OXON_CS');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Referrals' }).click();
    await page.getByRole('tab', { name: /Inbox: to OXON_CS/ }).waitFor();
    const first = page.locator('table.list tbody tr a').first();
    await first.waitFor();
    await screenshot(page, 'referrals');
    const reference = (await first.textContent())!;
    await first.click();
    await page.getByRole('heading', { name: new RegExp(reference), level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    await page.getByRole('heading', { name: /Your organisation received this referral/ }).waitFor();
    await screenshot(page, 'referral');
    // The purpose chosen at sign-in went with the requests into the audit trail.
    const reads = await session.app.app.orm.em.getConnection().execute(
      `select e.purpose from audit_event e join safeguarding_referral r on r.id = any (e.record_ids)
        where e.username = 'oxon.mash' and e.action = 'READ' and r.reference = ?`,
      [reference.trim()],
    );
    expect(reads.length).toBeGreaterThan(0);
    expect(new Set(reads.map((r: any) => r.purpose))).toEqual(new Set(['SAFEGUARDING']));
  });

  it('asks for a purpose before signing in', async () => {
    const { page } = session.watched;
    await page.goto('/');
    const button = page.getByRole('button', { name: /\bserocu\.analyst\b/ });
    await button.waitFor();
    expect(await button.isDisabled()).toBe(true);
    await page.getByLabel('Purpose of your work').selectOption({ label: 'Analysis' });
    expect(await button.isDisabled()).toBe(false);
    await button.click();
    await page.getByTestId('signed-in').waitFor();
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.getItem('soc-hub.purpose'))).toBe('ANALYSIS');
  });
});
