import type { Locator, Page } from 'playwright-core';
import { expectData } from '../support/factories';
import { createNominal, REFERRAL_FIELDS } from '../support/referral-factories';
import { axeOnPage } from '../support/axe';
import { describeInBrowser, screenshot, useBrowserSession } from '../support/browser';
import { signIn } from './sign-in';

/** Serious and critical axe violations on the page as it is now. */
async function expectAxeClean(page: Page, screen: string): Promise<void> {
  expect((await axeOnPage(page)).seriousViolations.map((f) => `${screen}: ${f}`)).toEqual([]);
}

/** The form field (label, hint, messages, control) labelled `name`. */
const field = (scope: Page | Locator, name: string) => {
  const page = 'page' in scope && typeof scope.page === 'function' ? scope.page() : (scope as Page);
  return scope.locator('.field').filter({ has: page.locator(`label:text-is("${name}")`) });
};

/** Words of the API that must never be on screen. */
const developerWords = /\b(MASH_CONTACT|DUTY_TO_NOTIFY_MS1|NRM_REFERRAL|COUNTY_LINES|OFFICIAL_SENSITIVE|subjectId|receivingOrganisationId|sharingReason|SafeguardingReferral)\b/;

describeInBrowser('web client: making a referral, and adding practice', () => {
  const session = useBrowserSession();
  const personName = `Kai Referralform ${Date.now()}`;
  let reference = '';
  let referralId = '';

  it('tvp.safeguarding refers a child to Oxfordshire children’s services through the form; the server’s messages sit by the fields', async () => {
    const person = await createNominal(session.app, 'tvp.safeguarding', personName, '2011-04-02');
    expect(person.isChild).toBe(true);
    const { page } = session.watched;
    await signIn(page, 'tvp.safeguarding', 'Safeguarding');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Referrals' }).click();
    await page.getByRole('link', { name: 'Make a referral' }).click();
    await page.getByRole('heading', { name: 'Make a referral', level: 1 }).waitFor();

    await page.getByLabel('Send to').selectOption({ label: "Oxfordshire County Council Children's Services" });
    await page.getByLabel('Kind of referral').selectOption({ label: 'Contact to a multi-agency safeguarding hub (MASH)' });
    await page.getByLabel('Find a person').fill('Kai Referralform');
    const personOption = page.getByLabel('Person', { exact: true }).locator('option', { hasText: personName });
    await personOption.waitFor({ state: 'attached' });
    await page.getByLabel('Person', { exact: true }).selectOption({ label: (await personOption.textContent())! });
    // The person's date of birth says they are a child: the form says so, and the rules for a child show.
    expect(await page.getByRole('radio', { name: 'Child' }).isChecked()).toBe(true);
    const rules = page.getByRole('region', { name: 'What applies to this referral' });
    await rules.getByText('A child needs no consent for information to be shared with safeguarding partners').waitFor();
    await page.getByRole('checkbox', { name: 'County lines' }).check();
    await page.getByRole('checkbox', { name: 'Child criminal exploitation' }).check();
    await page.getByRole('radio', { name: /^Amber/ }).check();
    await rules.getByText(/must acknowledge an? amber referral within 24 hours/).waitFor();
    await page.getByRole('radio', { name: 'No', exact: true }).check();
    await rules.getByText('Consent was not obtained: record why the information is shared without it').waitFor();
    // An MS1 would name no one: switching shows why, and switching back keeps the person.
    await page.getByLabel('Kind of referral').selectOption({ label: 'Duty to notify the Home Office (MS1, anonymous)' });
    await rules.getByText(/It is anonymous: it names no one/).waitFor();
    expect(await page.getByLabel('Person', { exact: true }).count()).toBe(0);
    await page.getByLabel('Kind of referral').selectOption({ label: 'Contact to a multi-agency safeguarding hub (MASH)' });
    // A threat the referrer can see, linked by finding it.
    const threat = expectData(await session.app.gql('tvp.safeguarding', `{ threats(first: 1, orderBy: [{ field: NAME, direction: ASC }]) { edges { node { id urn name } } } }`)).threats.edges[0].node;
    await page.getByLabel('Find a threat').fill(threat.urn);
    await page.getByRole('checkbox', { name: `${threat.urn} ${threat.name}` }).check();
    await page.getByLabel('Find a threat').fill('');
    expect(await page.getByRole('checkbox', { name: `${threat.urn} ${threat.name}` }).isChecked()).toBe(true);
    await page.getByLabel('Protective marking').selectOption({ label: 'Official sensitive' });

    // Sent without the concerns and the reason for sharing without consent: the server's messages, beside each field.
    await page.getByRole('button', { name: 'Send referral' }).click();
    await field(page, 'Concerns').locator('.field-error').getByText('is required').waitFor();
    await field(page, 'Why the information is shared without consent').locator('.field-error').getByText(/is required when consent was not obtained/).waitFor();
    // Oxfordshire's readers are cleared to OFFICIAL: the marking is refused, beside the marking.
    await field(page, 'Protective marking').locator('.field-error').getByText(/can read referrals marked up to official/).waitFor();
    expect(page.url()).toMatch(/\/referrals\/new$/);
    expect(await page.locator('main').innerText()).not.toMatch(developerWords);
    await expectAxeClean(page, 'referral form with errors');
    await screenshot(page, 'referral-form-errors');

    const summary = 'Seen at a trap house in Banbury with cash and two phones; missing from home twice this month.';
    const reason = 'Child at risk of significant harm; asking a parent would place them at greater risk.';
    await field(page, 'Concerns').locator('textarea').fill(summary);
    await field(page, 'Why the information is shared without consent').locator('textarea').fill(reason);
    await page.getByLabel('Protective marking').selectOption({ label: 'Official' });
    // Sent from the keyboard.
    await page.getByRole('button', { name: 'Send referral' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/referrals\/(?!new)[^/]+$/);
    referralId = decodeURIComponent(page.url().split('/referrals/')[1]);
    const h1 = page.getByRole('heading', { level: 1 });
    await h1.getByText(/^SR-/).waitFor();
    await page.getByTestId('marking').getByText('Official').waitFor();
    await page.getByText(personName).waitFor();
    await page.getByRole('link', { name: threat.urn, exact: true }).waitFor();
    await expectAxeClean(page, 'new referral page');

    const { node } = expectData(await session.app.gql('tvp.safeguarding', `query ($id: ID!) { node(id: $id) { ... on SafeguardingReferral { ${REFERRAL_FIELDS} } } }`, { id: referralId }));
    reference = node.reference;
    expect(await h1.innerText()).toContain(reference);
    expect(node).toMatchObject({
      status: 'SUBMITTED',
      referralType: 'MASH_CONTACT',
      urgency: 'AMBER',
      subjectIsChild: true,
      consentObtained: false,
      summary,
      protectiveMarking: 'OFFICIAL',
      referringOrganisation: { code: 'TVP' },
      receivingOrganisation: { code: 'OXON_CS' },
      sharedWith: [{ code: 'OXON_CS' }],
      subject: { id: person.id, name: personName },
      linkedThreats: [{ id: threat.id, name: threat.name }],
    });
    expect([...node.exploitationTypes].sort()).toEqual(['CHILD_CRIMINAL_EXPLOITATION', 'COUNTY_LINES']);
    expect(node.timeline.find((u: any) => u.kind === 'SHARE')).toMatchObject({ shareReason: reason, sharedWithOrganisation: { code: 'OXON_CS' } });
  });

  it('oxon.mash finds it in the received list and narrows the list by direction, state, urgency and acknowledgement', async () => {
    expect(reference).not.toBe('');
    const { page } = session.watched;
    await signIn(page, 'oxon.mash', 'Safeguarding');
    await page.goto('/referrals');
    await page.getByRole('tab', { name: /Inbox: to OXON_CS/, selected: true }).waitFor();
    const row = page.locator('table.list tbody tr').filter({ has: page.getByRole('link', { name: reference, exact: true }) });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/Amber/);
    expect(await row.innerText()).toMatch(/Submitted/);
    await expectAxeClean(page, 'referrals inbox with filters');

    const count = async (filter: string) =>
      expectData(await session.app.gql('oxon.mash', `{ referrals(filter: ${filter}) { totalCount } }`, undefined, { purpose: 'SAFEGUARDING' })).referrals.totalCount as number;
    /** Waits for the list to say it holds `total` referrals, as the API counts them for the same filter. */
    const expectShown = (total: number) => page.locator('nav.pager span').filter({ hasText: new RegExp(`of ${total}$`) }).waitFor();

    await page.getByLabel('State').selectOption({ label: 'Submitted' });
    await page.waitForURL(/status=SUBMITTED/);
    await row.waitFor();
    await expectShown(await count('{ direction: INBOX, status: [SUBMITTED] }'));

    await page.getByLabel('Urgency').selectOption({ label: 'Amber' });
    await page.waitForURL(/urgency=AMBER/);
    await row.waitFor();
    await expectShown(await count('{ direction: INBOX, status: [SUBMITTED], urgency: [AMBER] }'));

    await page.getByLabel('Acknowledgement').selectOption({ label: 'Overdue' });
    await page.waitForURL(/ack=overdue/);
    await row.waitFor({ state: 'detached' });
    await expectShown(await count('{ direction: INBOX, status: [SUBMITTED], urgency: [AMBER], overdue: true }'));
    await page.getByLabel('Acknowledgement').selectOption({ label: 'Awaiting, not overdue' });
    await row.waitFor();

    await page.getByLabel('State').selectOption({ label: 'Closed' });
    await row.waitFor({ state: 'detached' });

    // Sent: Oxfordshire did not make it, so it is not in its outbox (with the same filters lifted).
    await page.getByLabel('State').selectOption({ label: 'Any' });
    await page.getByLabel('Urgency').selectOption({ label: 'Any' });
    await page.getByLabel('Acknowledgement').selectOption({ label: 'Any' });
    await page.getByRole('tab', { name: /Outbox: from OXON_CS/ }).click();
    await page.waitForURL(/box=outbox/);
    await page.locator('nav.pager').waitFor();
    await expectShown(await count('{ direction: OUTBOX }'));
    expect(await page.getByRole('link', { name: reference, exact: true }).count()).toBe(0);
    expect(await page.locator('main').innerText()).not.toMatch(developerWords);
    await screenshot(page, 'referrals-filtered');

    // And the referral opens from the inbox.
    await page.goto('/referrals?box=inbox');
    await page.getByRole('link', { name: reference, exact: true }).click();
    await page.waitForURL(new RegExp(`/referrals/${encodeURIComponent(referralId)}$`));
    await page.getByText(personName).waitFor();
  });

  it('adds a practice entry to the register (the server’s messages beside the fields), shown at once and held by the API', async () => {
    const { page } = session.watched;
    await signIn(page, 'oxon.mash', 'Safeguarding');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Practice' }).click();
    await page.getByRole('heading', { name: 'Practice register', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Add practice' }).click();
    const form = page.getByRole('form', { name: 'Add practice' });
    await form.getByRole('button', { name: 'Add to the register' }).click();
    await field(form, 'Title').locator('.field-error').getByText('is required').waitFor();
    await field(form, 'Topics').locator('.field-error').waitFor();
    await expectAxeClean(page, 'add practice with errors');

    const title = `Return-home conversations for missing children ${Date.now()}`;
    await field(form, 'Title').locator('input').fill(title);
    await field(form, 'Aim').locator('textarea').fill('Learn where a missing child has been and who with, within 72 hours of their return.');
    await field(form, 'Description').locator('textarea').fill('An independent worker meets the child after each missing episode; locations and names go to the MASH.');
    await field(form, 'Contact').locator('input').fill('Oxfordshire MASH, missing children team');
    await field(form, 'Topics').locator('input').fill('County lines, missing children');
    await form.getByLabel('Stage').selectOption({ label: 'Pilot' });
    await form.getByLabel('Evidence rating').selectOption({ label: 'Promising' });
    await form.getByRole('button', { name: 'Add to the register' }).click();
    await page.getByRole('status').getByText(`Added “${title}” to the register.`).waitFor();
    const card = page.getByRole('article', { name: title });
    await card.waitFor();
    await card.getByText('Pilot · evidence: Promising · marked Official').waitFor();
    expect(await page.getByRole('form', { name: 'Add practice' }).count()).toBe(0);
    await expectAxeClean(page, 'practice register after adding');
    await screenshot(page, 'practice-added');

    const { practices } = expectData(
      await session.app.gql('tvp.safeguarding', `{ practices(first: 100, orderBy: [{ field: UPDATED_AT, direction: DESC }]) { edges { node { title stage evidenceRating topics organisation { code } protectiveMarking sharing } } } }`),
    );
    expect(practices.edges.map((e: any) => e.node).filter((n: any) => n.title === title)).toEqual([
      { title, stage: 'PILOT', evidenceRating: 'PROMISING', topics: ['county lines', 'missing children'], organisation: { code: 'OXON_CS' }, protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' },
    ]);
  });
});
