import type { Page } from 'playwright-core';
import { axeOnPage } from '../support/axe';
import { describeInBrowser, screenshot, useBrowserSession } from '../support/browser';
import { signIn } from './sign-in';

/** Every serious or critical axe violation on the page as it is now; the contrast and label rules must have applied. */
async function axeViolations(page: Page): Promise<string[]> {
  const { seriousViolations, rulesNotApplied } = await axeOnPage(page);
  expect(rulesNotApplied).toEqual([]);
  return seriousViolations;
}

const threatQuery = `query ($id: ID!) {
  node(id: $id) {
    ... on SocThreat {
      name subjectType taskingLevel geographicScope summary protectiveMarking sharing version
      owningOrganisation { code } leadOrganisation { code } areasAffected { code }
      criminalActivities { id category subCategory description firstIdentified lastEvidenced }
    }
  }
}`;

/** Analysts record a threat and manage its criminal activities on screen; each change is checked through the API. */
describeInBrowser('web client: creating a threat and managing its activities', () => {
  const session = useBrowserSession();

  const threatById = async (id: string) => {
    const result = await session.app.gql('serocu.analyst', threatQuery, { id });
    expect(result.errors).toBeUndefined();
    return result.data.node;
  };

  /** The message shown beside the control labelled `name`. */
  const messageBeside = (page: Page, name: string) => page.locator('.field-invalid', { has: page.getByLabel(name, { exact: true }) }).locator('.field-error');

  it('creates a threat with one activity, then adds, changes and removes a second one, each as the API then has it', async () => {
    // The server's own words for a missing name, to find on screen.
    const refused = await session.app.gql('serocu.analyst', `mutation ($input: CreateThreatInput!) { createThreat(input: $input) { id } }`, {
      input: {
        name: '', subjectType: 'ORGANISED_CRIME_GROUP', leadOrganisationId: (await session.app.gql('serocu.analyst', '{ viewer { organisation { id } } }')).data.viewer.organisation.id,
        taskingLevel: 'REGIONAL', geographicScope: 'REGIONAL', access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT' },
        criminalActivities: [{ category: 'ILLEGAL_DRUGS', description: 'Deal line', firstIdentified: '2026-03-01' }],
      },
    });
    const nameMessage = refused.errors![0].extensions!.fields.find((f: any) => f.field === 'input.name').message as string;
    expect(nameMessage).toBeTruthy();

    const { page } = session.watched;
    await signIn(page, 'serocu.analyst');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Threats' }).click();
    await page.getByRole('link', { name: 'New threat' }).click();
    await page.getByRole('heading', { name: 'New threat', level: 1 }).waitFor();
    expect(page.url()).toMatch(/\/threats\/new$/);
    // The marking is on the form, not hidden behind a default.
    expect(await page.getByLabel('Protective marking').inputValue()).toBe('OFFICIAL_SENSITIVE');
    expect(await page.getByLabel('Protective marking').locator('option:checked').textContent()).toBe('Official sensitive');
    expect(await axeViolations(page)).toEqual([]);

    // Everything but the name: the server's message sits beside the name, and nothing is recorded.
    await page.getByLabel('Subject type').selectOption({ label: 'Organised crime group' });
    await page.getByLabel('Tasking level').selectOption({ label: 'Regional' });
    await page.getByLabel('Geographic scope').selectOption({ label: 'Regional' });
    await page.getByRole('checkbox', { name: 'Thames Valley Police' }).check();
    await page.getByLabel('Summary (optional)').fill('Supplies Class A into Banbury from London.');
    const first = page.getByTestId('activity-1');
    await first.getByLabel('Category', { exact: true }).selectOption({ label: 'Illegal drugs' });
    await first.getByLabel('Sub-category (optional)').fill('County lines');
    await first.getByLabel('Description', { exact: true }).fill('Class A deal line run from London into Banbury.');
    await first.getByLabel('First identified').fill('2026-03-01');
    await page.getByRole('button', { name: 'Record threat' }).click();
    await messageBeside(page, 'Name').getByText(nameMessage).waitFor();
    expect(await page.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.field-error').allTextContents()).toEqual([nameMessage]);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'threat-create-messages');

    // With a name it is recorded, and the new threat's page opens.
    await page.getByLabel('Name', { exact: true }).fill('Operation Kestrel Browser');
    await page.getByRole('button', { name: 'Record threat' }).click();
    await page.getByRole('heading', { name: /^Operation Kestrel Browser/, level: 1 }).waitFor();
    const id = decodeURIComponent(page.url().match(/\/threats\/([^/?#]+)$/)![1]);
    const created = await threatById(id);
    expect(created).toMatchObject({
      name: 'Operation Kestrel Browser', subjectType: 'ORGANISED_CRIME_GROUP', taskingLevel: 'REGIONAL', geographicScope: 'REGIONAL',
      summary: 'Supplies Class A into Banbury from London.', protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT',
      owningOrganisation: { code: 'SEROCU' }, leadOrganisation: { code: 'SEROCU' }, areasAffected: [{ code: 'TVP' }],
      criminalActivities: [{ category: 'ILLEGAL_DRUGS', subCategory: 'COUNTY_LINES', description: 'Class A deal line run from London into Banbury.', firstIdentified: '2026-03-01', lastEvidenced: null }],
    });
    await page.getByTestId('protective-marking').getByText('Official sensitive').waitFor();
    const rows = page.getByTestId('activities').locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('County lines');

    // Adding a second activity, by keyboard: its description left empty first gives the server's message beside it.
    await page.getByRole('button', { name: 'Add a criminal activity' }).focus();
    await page.keyboard.press('Enter');
    const panel = page.getByRole('region', { name: 'Add a criminal activity' });
    await panel.getByLabel('Category', { exact: true }).selectOption({ label: 'Fraud' });
    await panel.getByLabel('First identified').fill('2026-05-10');
    await panel.getByRole('button', { name: 'Add activity' }).click();
    await messageBeside(page, 'Description').waitFor();
    expect(await messageBeside(page, 'Description').textContent()).toBe(nameMessage); // the same rule: "is required"
    expect(await axeViolations(page)).toEqual([]);
    await panel.getByLabel('Description', { exact: true }).fill('Courier fraud against older people.');
    await panel.getByRole('button', { name: 'Add activity' }).click();
    await rows.nth(1).waitFor();
    await panel.waitFor({ state: 'detached' });
    // Keyboard focus is back on the add button, not lost at the top of the page.
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.textContent)).toBe('Add a criminal activity');
    const added = await threatById(id);
    expect(added.version).toBe(created.version + 1);
    expect(added.criminalActivities).toHaveLength(2);
    const fraud = added.criminalActivities.find((a: any) => a.category === 'FRAUD');
    expect(fraud).toMatchObject({ description: 'Courier fraud against older people.', firstIdentified: '2026-05-10', subCategory: null });

    // Changing it.
    await page.getByRole('button', { name: /^Change fraud activity/ }).click();
    const change = page.getByRole('region', { name: 'Change fraud activity' });
    expect(await change.getByLabel('Description', { exact: true }).inputValue()).toBe('Courier fraud against older people.');
    await change.getByLabel('Description', { exact: true }).fill('Courier fraud: fake police officers collecting cash.');
    await change.getByLabel('Sub-category (optional)').fill('Courier fraud');
    await change.getByLabel('Last evidenced (optional)').fill('2026-06-01');
    await change.getByRole('button', { name: 'Save activity' }).click();
    await page.getByTestId('activities').getByRole('cell', { name: 'Courier fraud: fake police officers collecting cash.', exact: true }).waitFor();
    const changed = await threatById(id);
    expect(changed.version).toBe(added.version + 1);
    expect(changed.criminalActivities.find((a: any) => a.id === fraud.id)).toMatchObject({
      category: 'FRAUD', subCategory: 'COURIER_FRAUD', description: 'Courier fraud: fake police officers collecting cash.', firstIdentified: '2026-05-10', lastEvidenced: '2026-06-01',
    });
    await screenshot(page, 'threat-create-activities');

    // Removing it.
    await page.getByRole('button', { name: /^Remove fraud activity/ }).click();
    await page.getByRole('region', { name: 'Remove fraud activity' }).getByRole('button', { name: 'Remove activity' }).click();
    await page.getByTestId('activities').getByRole('cell', { name: 'Courier fraud: fake police officers collecting cash.', exact: true }).waitFor({ state: 'detached' });
    expect(await rows.count()).toBe(1);
    const removed = await threatById(id);
    expect(removed.version).toBe(changed.version + 1);
    expect(removed.criminalActivities.map((a: any) => a.category)).toEqual(['ILLEGAL_DRUGS']);

    // The last one cannot go: the server's reason is shown.
    await page.getByRole('button', { name: /^Remove illegal drugs activity/ }).click();
    const last = page.getByRole('region', { name: 'Remove illegal drugs activity' });
    await last.getByRole('button', { name: 'Remove activity' }).click();
    await last.getByRole('alert').getByText(/keeps at least one criminal activity/).waitFor();
    expect((await threatById(id)).criminalActivities).toHaveLength(1);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('saves a change against the version seen: someone else’s change first is reported, not saved over', async () => {
    const { data } = await session.app.gql('serocu.analyst', `{ threats(first: 50) { edges { node { id owningOrganisation { code } criminalActivities { id } } } } }`);
    const threat = data.threats.edges.map((e: any) => e.node).find((t: any) => t.owningOrganisation.code === 'SEROCU');
    const { page } = session.watched;
    await signIn(page, 'serocu.analyst');
    await page.goto(`/threats/${encodeURIComponent(threat.id)}`);
    await page.getByRole('button', { name: 'Add a criminal activity' }).click();
    const panel = page.getByRole('region', { name: 'Add a criminal activity' });
    await panel.getByLabel('Category', { exact: true }).selectOption({ label: 'Money laundering' });
    await panel.getByLabel('Description', { exact: true }).fill('Cash through a car wash.');
    await panel.getByLabel('First identified').fill('2026-04-01');

    // Meanwhile, through the API, someone else adds one.
    const before = await threatById(threat.id);
    const theirs = await session.app.gql('serocu.analyst', `mutation ($input: AddCriminalActivityInput!) { addCriminalActivity(input: $input) { version } }`, {
      input: { threatId: threat.id, expectedVersion: before.version, activity: { category: 'CYBER_CRIME', description: 'Phishing kits sold online.', firstIdentified: '2026-04-02' } },
    });
    expect(theirs.errors).toBeUndefined();

    // After the conflict the panel fetches the threat's activities as they are now; slowed here as
    // a loaded machine slows it. The message waits for that fetch, so saving again as soon as it
    // shows goes against the new version (said before the fetch, that save met the conflict again).
    await page.route('**/graphql', async (route) => {
      if (route.request().postData()?.includes('"operationName":"ThreatActivitiesNow"')) await new Promise((r) => setTimeout(r, 3_000));
      await route.continue();
    });
    await panel.getByRole('button', { name: 'Add activity' }).click();
    await panel.getByRole('alert').getByText(/Someone else changed this threat just before you/).waitFor();
    expect((await threatById(threat.id)).criminalActivities.map((a: any) => a.description)).not.toContain('Cash through a car wash.');
    await page.getByTestId('activities').getByRole('cell', { name: 'Phishing kits sold online.', exact: true }).waitFor();

    // Saving again, having seen theirs, adds mine.
    await panel.getByRole('button', { name: 'Add activity' }).click();
    await page.getByTestId('activities').getByRole('cell', { name: 'Cash through a car wash.', exact: true }).waitFor();
    const after = await threatById(threat.id);
    expect(after.criminalActivities.map((a: any) => a.description)).toEqual(expect.arrayContaining(['Phishing kits sold online.', 'Cash through a car wash.']));
  });

  it('offers no New threat link or activity changes to those who may not make them', async () => {
    const { data } = await session.app.gql('serocu.analyst', `{ threats(first: 50) { edges { node { id owningOrganisation { code } } } } }`);
    const notOurs = data.threats.edges.map((e: any) => e.node).find((t: any) => t.owningOrganisation.code !== 'SEROCU');
    const { page } = session.watched;
    await signIn(page, 'serocu.analyst');
    await page.goto(`/threats/${encodeURIComponent(notOurs.id)}`);
    await page.getByTestId('activities').locator('tbody tr').first().waitFor();
    expect(await page.getByRole('button', { name: 'Add a criminal activity' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^(Change|Remove) / }).count()).toBe(0);
    await page.getByTestId('protective-marking').waitFor();
  });
});
