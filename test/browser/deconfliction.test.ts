import type { Page } from 'playwright-core';
import { axeOnPage } from '../support/axe';
import { describeInBrowser, openPage, screenshot, useBrowserSession, type WatchedPage } from '../support/browser';
import { expectData } from '../support/factories';
import { signIn } from './sign-in';

/** Serious and critical axe violations on the page as it is now. */
async function expectAxeClean(page: Page, screen: string): Promise<void> {
  expect((await axeOnPage(page)).seriousViolations.map((f) => `${screen}: ${f}`)).toEqual([]);
}

/** Words of the API that must never be on screen. */
const developerWords = /\b(PHONE|VEHICLE|ADDRESS|PERSON|EXACT|POSSIBLE|OFFICIAL_SENSITIVE|IdentifierKind|DeconflictionInterest|Nominal|normalisedValue|recordId)\b/;
/** What the demo's Thames Valley person holding the phone is: none of it may reach Surrey's screen. */
const hiddenRecord = /Corvin|Aldmoor|ZZ19|1988/;

describeInBrowser('web client: deconfliction', () => {
  const session = useBrowserSession();
  const extra: WatchedPage[] = [];
  afterEach(async () => {
    for (const w of extra.splice(0)) {
      expect(w.consoleErrors).toEqual([]);
      await w.context.close();
    }
  });

  it('surrey.investigator checks a phone number Thames Valley holds on a person Surrey cannot see: a hit with whom to contact, and nothing of the person; tvp.investigator is told live and opens the person', async () => {
    const holder = await openPage(session.browser, session.app.url);
    extra.push(holder);
    await signIn(holder.page, 'tvp.investigator');
    await holder.page.getByTestId('connection').getByText('Live', { exact: true }).waitFor();

    const { page } = session.watched;
    await signIn(page, 'surrey.investigator');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Deconfliction' }).click();
    await page.getByRole('heading', { name: 'Deconfliction', level: 1 }).waitFor();
    await expectAxeClean(page, 'deconfliction check');

    // Bad input first: the server's message beside the field.
    await page.getByLabel('What to check').selectOption({ label: 'Phone number' });
    await page.getByLabel('Phone number').fill('12345');
    await page.getByRole('button', { name: 'Check' }).click();
    await page.locator('.field-error').getByText(/must be a UK phone number/).waitFor();
    await expectAxeClean(page, 'deconfliction check with a message');

    await page.getByLabel('Phone number').fill('07700 900 417');
    await page.getByRole('button', { name: 'Check' }).click();
    const result = page.getByTestId('deconfliction-result');
    await result.getByRole('heading', { name: 'Hit: another organisation holds this' }).waitFor();
    const said = await result.innerText();
    expect(said).toContain('Thames Valley Police holds this phone number (exact match). Contact TVP Force Intelligence Bureau, 01632 960417 before you act.');
    expect(said).toContain('Official-Sensitive');
    const main = await page.locator('main').innerText();
    expect(main).not.toMatch(developerWords);
    expect(main).not.toMatch(hiddenRecord);
    await expectAxeClean(page, 'deconfliction hit');
    await screenshot(page, 'deconfliction-hit');

    // The holder hears of it at once, and opens its own record from the notice.
    const notice = holder.page.getByTestId('live-notices').locator('.notice').filter({ hasText: 'Surrey Police has an interest in a phone number you hold.' });
    await notice.waitFor();
    await notice.getByRole('link', { name: 'Open the person' }).click();
    await holder.page.getByRole('heading', { name: 'Corvin Aldmoor', level: 1 }).waitFor();
    await holder.page.getByTestId('identifiers').getByText('Phone number: 07700 900417').waitFor();
    await holder.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Deconfliction' }).click();
    const interests = holder.page.getByTestId('interests');
    await interests.getByRole('row').filter({ hasText: 'Surrey Police has an interest in a phone number you hold.' }).filter({ hasText: 'DC Owen Palfrey, Surrey Police' }).getByRole('link', { name: 'Corvin Aldmoor' }).waitFor();
    expect(await holder.page.locator('main').innerText()).not.toMatch(developerWords);
    await expectAxeClean(holder.page, 'interest in what you hold');

    // Checked through the API: Thames Valley's interests name Surrey's check, and Surrey cannot read the person.
    const told = expectData(await session.app.gql('tvp.investigator', '{ deconflictionInterests { kind checkingOrganisation { code } nominal { name } } }')).deconflictionInterests;
    expect(told).toEqual([{ kind: 'PHONE', checkingOrganisation: { code: 'SURREY' }, nominal: { name: 'Corvin Aldmoor' } }]);
    expect(expectData(await session.app.gql('surrey.investigator', '{ nominals(first: 50, filter: { text: "Aldmoor" }) { totalCount } }')).nominals.totalCount).toBe(0);

    // No hit, in plain words.
    await page.getByLabel('What to check').selectOption({ label: 'Vehicle registration' });
    await page.getByLabel('Vehicle registration').fill('ZZ00 NOP');
    await page.getByRole('button', { name: 'Check' }).click();
    await result.getByRole('heading', { name: 'No hit' }).waitFor();
    await result.getByText('No other organisation holds this vehicle.').waitFor();
  });

  it('surrey.investigator records a phone number on a person Surrey holds and is told at once that Hampshire holds it too', async () => {
    const { page } = session.watched;
    const [dale] = expectData(await session.app.gql('surrey.investigator', '{ nominals(first: 5, filter: { text: "Dale Pemberton" }) { edges { node { id } } } }')).nominals.edges;
    await signIn(page, 'surrey.investigator');
    await page.goto(`/people/${encodeURIComponent(dale.node.id)}`);
    await page.getByRole('heading', { name: 'Dale Pemberton', level: 1 }).waitFor();
    await page.getByTestId('protective-marking').getByText('Official sensitive').waitFor();
    const section = page.getByRole('region', { name: 'Identifiers for deconfliction' });
    await section.getByText('Phone number: +44 7700 900417').waitFor();
    await section.getByLabel('Kind of identifier').selectOption({ label: 'Phone number' });
    await section.getByRole('textbox', { name: 'Phone number' }).fill('+44 (0)7700 900733');
    await section.getByRole('button', { name: 'Record and check' }).click();
    await section.getByTestId('deconfliction-result').getByText(/Hampshire and Isle of Wight Constabulary holds this phone number \(exact match\)\. Contact Hampshire and Isle of Wight Force Intelligence Bureau, 01632 960744/).waitFor();
    await section.getByTestId('identifiers').getByText('Phone number: +44 (0)7700 900733').waitFor();
    expect(await page.locator('main').innerText()).not.toMatch(developerWords);
    await expectAxeClean(page, 'person with identifiers');
    await screenshot(page, 'deconfliction-record');

    const recorded = expectData(await session.app.gql('surrey.investigator', 'query ($id: ID!) { node(id: $id) { ... on Nominal { identifiers { kind normalisedValue } } } }', { id: dale.node.id })).node;
    expect(recorded.identifiers).toContainEqual({ kind: 'PHONE', normalisedValue: '07700900733' });

    // The person's own name is held too, taken from their details; the phone number just recorded keeps its answer.
    const list = section.getByTestId('identifiers');
    await list.getByText('Person: Dale Pemberton, born 9 May 1993').waitFor();
    await list.getByText('from their name and date of birth').waitFor();
    await list.locator('li').filter({ hasText: '+44 (0)7700 900733' }).getByText(/Hampshire and Isle of Wight Constabulary held this phone number when it was checked/).waitFor();
    // Removing it asks first; keeping it changes nothing, confirming removes it.
    await list.getByRole('button', { name: 'Remove Phone number: +44 (0)7700 900733' }).click();
    const question = section.getByRole('group', { name: 'Remove Phone number: +44 (0)7700 900733' });
    await question.getByText('Other organisations’ checks will no longer find it here.').waitFor();
    await expectAxeClean(page, 'removing an identifier');
    await question.getByRole('button', { name: 'Keep it' }).click();
    await list.getByRole('button', { name: 'Remove Phone number: +44 (0)7700 900733' }).click();
    await section.getByRole('group', { name: 'Remove Phone number: +44 (0)7700 900733' }).getByRole('button', { name: 'Yes, remove it' }).click();
    await list.getByText('Phone number: +44 (0)7700 900733').waitFor({ state: 'detached' });
    await list.getByText('Phone number: +44 7700 900417').waitFor();
    expect(await page.locator('main').innerText()).not.toMatch(developerWords);
    const after = expectData(await session.app.gql('surrey.investigator', 'query ($id: ID!) { node(id: $id) { ... on Nominal { identifiers { normalisedValue } } } }', { id: dale.node.id })).node;
    expect(after.identifiers).not.toContainEqual({ normalisedValue: '07700900733' });
  });

  it('serocu.auditor finds both sides of a check on the audit trail, in plain words', async () => {
    // After the first test: Surrey's check hit Thames Valley's person.
    const { page } = session.watched;
    await signIn(page, 'serocu.auditor', 'Audit');
    await page.getByRole('link', { name: 'Search the audit trail' }).click();
    await page.getByRole('heading', { name: 'Audit trail', level: 1 }).waitFor();
    await page.getByLabel('User’s name').fill('surrey.investigator');
    await page.getByRole('button', { name: 'Search' }).click();
    const rows = page.getByTestId('audit-events').locator('tbody tr');
    // Thames Valley's person is its own: the regional auditor is told there is one, not its name.
    await rows.filter({ hasText: 'Another organisation checked an identifier on: a record you may not read' }).first().waitFor();
    await rows.filter({ hasText: 'Deconfliction check' }).first().waitFor();
    expect(await page.locator('main').innerText()).not.toMatch(/DeconflictionHit|DeconflictionCheck|DeconflictionResult|RecordIdentifierResult/);
    await expectAxeClean(page, 'audit trail with deconfliction');
  });

  it('tvp.investigator records a person on a report Thames Valley holds: an exact match in Hampshire and a possible one in Sussex, in plain words', async () => {
    const { page } = session.watched;
    const reports = expectData(await session.app.gql('tvp.investigator', '{ intelligenceReports(first: 50) { edges { node { id reference owningOrganisation { code } } } } }')).intelligenceReports.edges;
    const report = reports.map((e: any) => e.node).find((r: any) => r.owningOrganisation.code === 'TVP');
    await signIn(page, 'tvp.investigator');
    await page.goto(`/intelligence/${encodeURIComponent(report.id)}`);
    await page.getByRole('heading', { name: new RegExp(`^${report.reference}`), level: 1 }).waitFor();
    const section = page.getByRole('region', { name: 'Identifiers for deconfliction' });
    await section.getByLabel('Kind of identifier').selectOption({ label: 'Person (full name and date of birth)' });
    await section.getByLabel('Full name').fill('MERRIWETHER, Jonathan');
    await section.getByLabel('Date of birth').fill('1990-07-30');
    await section.getByRole('button', { name: 'Record and check' }).click();
    const result = section.getByTestId('deconfliction-result');
    await result.getByText(/Hampshire and Isle of Wight Constabulary holds this person \(exact match\)/).waitFor();
    await result.getByText(/Sussex Police holds this person \(possible match: same date of birth, similar name\)\. Contact Sussex Police Intelligence Unit, 01632 960633/).waitFor();
    await section.getByTestId('identifiers').getByText('Person: MERRIWETHER, Jonathan, born 30 Jul 1990').waitFor();
    const main = await page.locator('main').innerText();
    expect(main).not.toMatch(developerWords);
    expect(main).not.toMatch(/Tamsin|Halloway|Jonathon Merriweather/);
    await expectAxeClean(page, 'report with identifiers');

    const identifiers = expectData(await session.app.gql('tvp.investigator', 'query ($id: ID!) { node(id: $id) { ... on IntelligenceReport { identifiers { kind normalisedValue dateOfBirth } } } }', { id: report.id })).node.identifiers;
    // Beside those taken from the people the report is about.
    expect(identifiers).toContainEqual({ kind: 'PERSON', normalisedValue: 'jonathan merriwether', dateOfBirth: '1990-07-30' });
  });
});
