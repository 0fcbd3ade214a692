import { axeOnPage } from '../support/axe';
import { describeInBrowser, screenshot, useBrowserSession } from '../support/browser';
import { pdfTextRuns } from '../support/pdf-text';
import { signIn } from './sign-in';

/** The printable threat profile: the marking banner heads and foots every printed page. */
describeInBrowser('web client: printable threat profile', () => {
  const session = useBrowserSession();

  it('prints the profile, activities with their assessments, members and plan, with the marking banner at the top and foot of every page', async () => {
    const data = await session.app.gql(
      'serocu.analyst',
      `{ threats(first: 100) { edges { node { id urn name protectiveMarking criminalActivities { id category } members { nominal { name } } plan { id } } } } }`,
    );
    expect(data.errors).toBeUndefined();
    // The longest profile with a plan: it runs over more than one page.
    const threat = data.data.threats.edges
      .map((e: any) => e.node)
      .filter((t: any) => t.plan)
      .sort((a: any, b: any) => b.criminalActivities.length + b.members.length - (a.criminalActivities.length + a.members.length))[0];
    const marking = threat.protectiveMarking.replace(/_/g, '-');

    const { page } = session.watched;
    await signIn(page, 'serocu.analyst');
    await page.goto(`/threats/${encodeURIComponent(threat.id)}`);
    await page.getByRole('link', { name: 'Printable profile' }).click();
    await page.getByRole('heading', { level: 1, name: `Threat profile: ${threat.urn} ${threat.name}` }).waitFor();
    expect(await page.getByTestId('print-banner').allTextContents()).toEqual([marking, marking]);
    for (const m of threat.members) if (m.nominal) await page.getByText(m.nominal.name, { exact: false }).first().waitFor();
    await page.getByRole('heading', { name: `Criminal activities and their assessments (${threat.criminalActivities.length})` }).waitFor();
    const { seriousViolations } = await axeOnPage(page);
    expect(seriousViolations).toEqual([]);

    await page.emulateMedia({ media: 'print' });
    // On paper the header, navigation and buttons are gone.
    expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false);
    // A narrow page, so the profile surely runs over several pages.
    const pages = pdfTextRuns(await page.pdf({ width: '120mm', height: '160mm' }));
    expect(pages.length).toBeGreaterThan(2);
    pages.forEach((runs, i) => {
      expect({ page: i + 1, first: runs[0], last: runs.at(-1), banners: runs.filter((r) => r === marking).length }).toEqual({ page: i + 1, first: marking, last: marking, banners: 2 });
    });
    // Blocks of text are joined by spaces, and the fi ligature is one glyph: compare the words.
    const words = pages.flat().join(' ').normalize('NFKC').replace(/\s+/g, ' ');
    for (const expected of ['Threat profile:', `${threat.urn} ${threat.name}`, 'Criminal activities and their assessments', 'Members', '4P plan']) expect(words).toContain(expected);
    for (const m of threat.members) if (m.nominal) expect(words).toContain(m.nominal.name);
    await screenshot(page, 'threat-print');
  });
});
