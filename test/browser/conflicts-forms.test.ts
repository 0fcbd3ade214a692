import type { Page } from 'playwright-core';
import { describeInBrowser, openPage, screenshot, useBrowserSession, type WatchedPage } from '../support/browser';
import { assessedThreat, createDisruption, submittedDisruption } from '../support/disruption-factories';
import { expectData } from '../support/factories';
import { createReferral } from '../support/referral-factories';
import { signIn } from './sign-in';

/**
 * Two people acting on the same disruption, referral or practice entry in two browser contexts: the second,
 * acting on the version they were looking at, is shown both versions and chooses.
 */
describeInBrowser('web client: conflicts on disruptions, referrals and practice entries', () => {
  const session = useBrowserSession();
  let other: WatchedPage | null = null;

  afterEach(async () => {
    if (!other) return;
    expect(other.consoleErrors).toEqual([]);
    await other.context.close();
    other = null;
  });

  /** The test's page and a second person's, both signed in and live. */
  async function twoPeople(first: string, second: string, purpose?: string): Promise<[Page, Page]> {
    other = await openPage(session.browser, session.app.url);
    const pages: [Page, Page] = [session.watched.page, other.page];
    await Promise.all([signIn(pages[0], first, purpose), signIn(pages[1], second, purpose)]);
    return pages;
  }
  const live = (page: Page) => page.getByTestId('connection').getByText('Live', { exact: true }).waitFor();
  const conflictRow = (page: Page, field: string) => page.getByTestId('conflict').getByRole('row', { name: new RegExp(`^${field}`) });
  const displayName = async (username: string) => expectData(await session.app.gql(username, '{ viewer { displayName } }')).viewer.displayName as string;

  it('edits of one draft claim: the second save shows both versions, and "keep mine" keeps both people’s changes', async () => {
    const threat = await assessedThreat(session.app, { name: 'Operation Sorrel' });
    const claim = await createDisruption(session.app, 'serocu.analyst', threat.id);
    const [first, second] = await twoPeople('serocu.analyst', 'serocu.lro');
    await Promise.all([first.goto(`/disruptions/${claim.id}/edit`), second.goto(`/disruptions/${claim.id}/edit`)]);
    await Promise.all([first.getByLabel('Impact').waitFor(), second.getByLabel('What was done').waitFor()]);

    await second.getByLabel('What was done').fill('Warrant at a cuckooed flat in Witney; two arrests.');
    await first.getByLabel('Impact').fill('The line stopped running for six weeks.');
    await first.getByRole('button', { name: 'Save changes' }).click();
    await first.getByRole('heading', { name: /^Disruption of / }).waitFor();
    await second.getByRole('button', { name: 'Save changes' }).click();

    await second.getByTestId('conflict').waitFor();
    expect(await conflictRow(second, 'What was done').getByTestId('mine').textContent()).toBe('Warrant at a cuckooed flat in Witney; two arrests.');
    expect(await conflictRow(second, 'What was done').getByTestId('theirs').textContent()).toBe(claim.description);
    expect(await conflictRow(second, 'Impact').getByTestId('theirs').textContent()).toBe('The line stopped running for six weeks.');
    expect(await conflictRow(second, 'Impact').getByTestId('mine').textContent()).toBe(claim.impactNarrative);
    expect(await second.getByTestId('conflict').textContent()).toContain(`${await displayName('serocu.analyst')} saved a newer version.`);
    await screenshot(second, 'disruption-edit-conflict');

    await second.getByRole('button', { name: 'Keep mine (save again on the new version)' }).click();
    await second.getByRole('heading', { name: /^Disruption of / }).waitFor();
    const { node } = expectData(await session.app.gql('serocu.analyst', `{ node(id: "${claim.id}") { ... on Disruption { description impactNarrative version } } }`));
    expect(node).toEqual({ description: 'Warrant at a cuckooed flat in Witney; two arrests.', impactNarrative: 'The line stopped running for six weeks.', version: claim.version + 2 });
  });

  it('two validators deciding one claim: the second sees the first’s decision beside theirs, and can take it', async () => {
    const threat = await assessedThreat(session.app, { name: 'Operation Tansy' });
    const claim = await submittedDisruption(session.app, 'tvp.investigator', threat.id);
    const [first, second] = await twoPeople('serocu.validator', 'serocu.sro');
    await Promise.all([first.goto(`/disruptions/${claim.id}`), second.goto(`/disruptions/${claim.id}`)]);
    await Promise.all([live(first), live(second)]);

    // The second validator starts writing a return; the first validates meanwhile.
    await second.getByLabel('Reasons').fill('The evidence reference is for another incident.');
    await first.getByRole('button', { name: 'Validate', exact: true }).click();
    await first.getByRole('heading', { name: /Validated/ }).waitFor();
    // Live, the second page shows the claim validated, and keeps the decision being written.
    await second.getByRole('heading', { name: /Validated/ }).waitFor();
    expect(await second.getByLabel('Reasons').inputValue()).toBe('The evidence reference is for another incident.');

    await second.getByRole('button', { name: 'Return for correction' }).click();
    await second.getByTestId('conflict').waitFor();
    const validator = await displayName('serocu.validator');
    expect(await conflictRow(second, 'Decision').getByTestId('mine').textContent()).toBe('Return for correction');
    expect(await conflictRow(second, 'Decision').getByTestId('theirs').textContent()).toBe(`Validated by ${validator}`);
    expect(await conflictRow(second, 'Status').getByTestId('mine').textContent()).toBe('Submitted');
    expect(await conflictRow(second, 'Status').getByTestId('theirs').textContent()).toBe('Validated');
    expect(await conflictRow(second, 'Reasons').getByTestId('mine').textContent()).toBe('The evidence reference is for another incident.');
    await screenshot(second, 'disruption-decision-conflict');

    await second.getByRole('button', { name: 'Take theirs' }).click();
    await second.getByRole('heading', { name: 'Validate this claim' }).waitFor({ state: 'detached' });
    const { node } = expectData(await session.app.gql('serocu.sro', `{ node(id: "${claim.id}") { ... on Disruption { status validation { validator { displayName } } } } }`));
    expect(node).toEqual({ status: 'VALIDATED', validation: { validator: { displayName: validator } } });
  });

  it('in the validation queue, a claim another validator decides stays open for the one deciding it, with both decisions shown', async () => {
    const threat = await assessedThreat(session.app, { name: 'Operation Vetch' });
    const claim = await submittedDisruption(session.app, 'tvp.investigator', threat.id, { description: 'Cash seizure at a Reading car wash.' });
    const [first, second] = await twoPeople('serocu.validator', 'serocu.sro');
    await Promise.all([first.goto('/disruptions?tab=queue'), second.goto('/disruptions?tab=queue')]);
    const item = (page: Page) => page.getByRole('listitem').filter({ hasText: 'Cash seizure at a Reading car wash.' });
    for (const page of [first, second]) await item(page).getByRole('button', { name: 'Decide' }).click();
    await Promise.all([live(first), live(second)]);

    await item(second).getByLabel('Reasons').fill('No evidence that the cash belonged to the group.');
    const queueFetchedAgain = second.waitForResponse((response) => response.request().postDataJSON()?.operationName === 'ValidationQueue');
    await item(first).getByRole('button', { name: 'Validate', exact: true }).click();
    // Gone from the first validator's queue, live; still open in the second's, as they were deciding it.
    await item(first).waitFor({ state: 'detached' });
    await queueFetchedAgain;
    expect(await item(second).getByLabel('Reasons').inputValue()).toBe('No evidence that the cash belonged to the group.');
    await item(second).getByRole('button', { name: 'Reject' }).click();
    await item(second).getByTestId('conflict').waitFor();
    expect(await conflictRow(second, 'Decision').getByTestId('mine').textContent()).toBe('Reject');
    expect(await conflictRow(second, 'Decision').getByTestId('theirs').textContent()).toBe(`Validated by ${await displayName('serocu.validator')}`);
    await second.getByRole('button', { name: 'Take theirs' }).click();
    await item(second).waitFor({ state: 'detached' });
    expect(expectData(await session.app.gql('serocu.sro', `{ node(id: "${claim.id}") { ... on Disruption { status } } }`)).node.status).toBe('VALIDATED');
  });

  it('a referral moved on by the other organisation: the receiver sees both versions, and "keep mine" acknowledges with their note', async () => {
    const referral = await createReferral(session.app);
    const [referrer, receiver] = await twoPeople('tvp.safeguarding', 'oxon.mash', 'Safeguarding');
    await Promise.all([referrer.goto(`/referrals/${referral.id}`), receiver.goto(`/referrals/${referral.id}`)]);
    await Promise.all([live(referrer), live(receiver)]);

    await receiver.getByLabel(/^Note/).fill('Strategy discussion booked for Monday.');
    await referrer.getByLabel(/^Note/).fill('Seen again in Banbury on Friday.');
    await referrer.getByRole('button', { name: 'Add note' }).click();
    await referrer.getByRole('region', { name: 'Timeline' }).getByText('Seen again in Banbury on Friday.').waitFor();
    // The receiver's timeline follows live; their note and the move they were about to make stay.
    await receiver.getByRole('region', { name: 'Timeline' }).getByText('Seen again in Banbury on Friday.').waitFor();
    await receiver.getByRole('button', { name: 'Acknowledge' }).click();

    await receiver.getByTestId('conflict').waitFor();
    expect(await conflictRow(receiver, 'Your move').getByTestId('mine').textContent()).toBe('Acknowledge, with the note “Strategy discussion booked for Monday.”');
    const referrerName = await displayName('tvp.safeguarding');
    expect(await conflictRow(receiver, 'Timeline since you looked').getByTestId('theirs').textContent()).toBe(`Note by ${referrerName}: Seen again in Banbury on Friday.`);
    expect(await receiver.getByTestId('conflict').textContent()).toContain(`${referrerName} saved a newer version.`);
    await screenshot(receiver, 'referral-conflict');

    await receiver.getByRole('button', { name: 'Keep mine (save again on the new version)' }).click();
    await receiver.getByTestId('conflict').waitFor({ state: 'detached' });
    await receiver.getByRole('heading', { level: 1 }).getByText('Acknowledged').waitFor();
    const { node } = expectData(await session.app.gql('oxon.mash', `{ node(id: "${referral.id}") { ... on SafeguardingReferral { status timeline { text } } } }`, {}, { purpose: 'SAFEGUARDING' }));
    expect(node.status).toBe('ACKNOWLEDGED');
    expect(node.timeline.map((u: { text: string | null }) => u.text)).toEqual(expect.arrayContaining(['Seen again in Banbury on Friday.', 'Strategy discussion booked for Monday.']));
  });

  it('edits of one practice entry: the second save shows both versions, and "keep mine" keeps both people’s changes', async () => {
    const { createPractice: entry } = expectData(
      await session.app.gql('serocu.analyst', 'mutation ($input: CreatePracticeInput!) { createPractice(input: $input) { id version title aim } }', {
        input: {
          title: 'Barbershop outreach in Slough',
          aim: 'Reach boys at risk of county lines recruitment where they already go.',
          description: 'Youth workers hold drop-in sessions in two barbershops on Saturdays.',
          topics: ['county lines', 'prevention'],
          stage: 'IDEA',
          evidenceRating: 'UNTESTED_NEW',
          contact: 'prevent@serocu.example',
          access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' },
        },
      }),
    );
    const [first, second] = await twoPeople('serocu.analyst', 'serocu.lro');
    await Promise.all([first.goto('/practice?q=barbershop'), second.goto('/practice?q=barbershop')]);
    for (const page of [first, second]) await page.getByRole('button', { name: `Edit ${entry.title}` }).click();
    const formOf = (page: Page) => page.getByRole('form', { name: `Edit ${entry.title}` });

    await formOf(second).getByLabel('Aim').fill('Reach boys at risk of exploitation where they already go.');
    await formOf(first).getByLabel('Title').fill('Barbershop outreach in Slough and Reading');
    await formOf(first).getByRole('button', { name: 'Save changes' }).click();
    await first.getByRole('heading', { name: 'Barbershop outreach in Slough and Reading', exact: true }).waitFor();
    await formOf(second).getByRole('button', { name: 'Save changes' }).click();

    await second.getByTestId('conflict').waitFor();
    expect(await conflictRow(second, 'Title').getByTestId('mine').textContent()).toBe(entry.title);
    expect(await conflictRow(second, 'Title').getByTestId('theirs').textContent()).toBe('Barbershop outreach in Slough and Reading');
    expect(await conflictRow(second, 'Aim').getByTestId('mine').textContent()).toBe('Reach boys at risk of exploitation where they already go.');
    expect(await conflictRow(second, 'Aim').getByTestId('theirs').textContent()).toBe(entry.aim);
    await screenshot(second, 'practice-conflict');

    await second.getByRole('button', { name: 'Keep mine (save again on the new version)' }).click();
    await second.getByRole('heading', { name: 'Barbershop outreach in Slough and Reading', exact: true }).waitFor();
    const { node } = expectData(await session.app.gql('serocu.lro', `{ node(id: "${entry.id}") { ... on PracticeEntry { title aim version } } }`));
    expect(node).toEqual({ title: 'Barbershop outreach in Slough and Reading', aim: 'Reach boys at risk of exploitation where they already go.', version: entry.version + 2 });
  });
});
