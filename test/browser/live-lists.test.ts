import type { Page, Request } from 'playwright-core';
import { describeInBrowser, openPage, screenshot, useBrowserSession, type WatchedPage } from '../support/browser';
import { assessedThreat, submittedDisruption, validateDisruption } from '../support/disruption-factories';
import { approvedAssessment, createThreat, expectData, orgId } from '../support/factories';
import { signIn } from './sign-in';

/**
 * Live lists in a real browser: a record another person changes moves into or out of a filtered
 * list on screen, a record whose event carries few fields (a sharing agreement) still appears
 * in full, and the home page's figures follow changes, all without a reload.
 */
describeInBrowser('web client: live lists and figures', () => {
  const session = useBrowserSession();
  const others: WatchedPage[] = [];

  afterEach(async () => {
    for (const other of others.splice(0)) {
      expect(other.consoleErrors).toEqual([]);
      await other.context.close();
    }
  });

  const live = (page: Page) => page.getByTestId('connection').getByText('Live', { exact: true }).waitFor();
  const threatLink = (page: Page, name: string) => page.getByRole('link', { name, exact: true });

  async function rename(threatId: string, name: string) {
    const { node } = expectData(await session.app.gql('serocu.analyst', `{ node(id: "${threatId}") { ... on SocThreat { version } } }`));
    expectData(
      await session.app.gql('serocu.analyst', 'mutation ($input: UpdateThreatInput!) { updateThreat(input: $input) { id } }', {
        input: { id: threatId, expectedVersion: node.version, name },
      }),
    );
  }

  it('moves threats into and out of a filtered list as others change them', async () => {
    const rowan = await createThreat(session.app, 'serocu.analyst', { name: 'Operation Rowan' });
    const elder = await createThreat(session.app, 'serocu.analyst', { name: 'Operation Elder' });
    await approvedAssessment(session.app, rowan.id, { level: 1 });
    const band = expectData(await session.app.gql('serocu.analyst', `{ node(id: "${rowan.id}") { ... on SocThreat { priority } } }`)).node.priority;

    // Surrey's investigator has the list narrowed to Rowan's priority band and a search.
    const { page } = session.watched;
    await signIn(page, 'surrey.investigator');
    await page.goto(`/threats?priority=${band}&q=Operation`);
    await threatLink(page, 'Operation Rowan').waitFor();
    expect(await threatLink(page, 'Operation Elder').count()).toBe(0);
    await live(page);

    // Elder is assessed into the same band: it enters the list.
    await approvedAssessment(session.app, elder.id, { level: 1 });
    await threatLink(page, 'Operation Elder').waitFor();
    // Rowan is assessed again, much higher: it leaves the band, so the list.
    await approvedAssessment(session.app, rowan.id, { level: 4 });
    await threatLink(page, 'Operation Rowan').waitFor({ state: 'detached' });
    // Renamed so the search no longer finds it: Elder leaves too.
    await rename(elder.id, 'Elder Line');
    await threatLink(page, 'Operation Elder').waitFor({ state: 'detached' });
    await screenshot(page, 'live-threat-list-filtered');
  });

  it('shows a sharing agreement another administrator creates, in full, without a reload', async () => {
    const { page } = session.watched;
    await signIn(page, 'serocu.admin');
    await page.goto('/agreements');
    const table = page.getByTestId('agreements');
    await table.waitFor();
    await live(page);
    const input = {
      title: 'Surrey schools exploitation protocol',
      partyIds: [await orgId(session.app, 'SURREY'), await orgId(session.app, 'OXON_CS')],
      legalGateways: ['CHILDREN_ACT_2004_S11'],
      dataCategories: ['REFERRAL'],
      maxProtectiveMarking: 'OFFICIAL',
      effectiveFrom: '2026-12-01',
      expiresOn: '2027-12-01',
    };
    expectData(await session.app.gql('serocu.admin', 'mutation ($input: CreateSharingAgreementInput!) { createSharingAgreement(input: $input) { id } }', { input }));
    const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: input.title, exact: true }) });
    await row.waitFor();
    expect(await row.getByRole('cell').first().textContent()).toBe('SURREY, OXON_CS');

    // One created in this browser shows in its own list, though its live event lands while the
    // list is being fetched again after the create (held back here so that it always does).
    await page.route('**/graphql', async (route) => {
      if (route.request().postDataJSON()?.operationName === 'SharingAgreements') await new Promise((resolve) => setTimeout(resolve, 700));
      await route.fallback();
    });
    await page.getByRole('button', { name: 'New agreement' }).click();
    const form = page.getByRole('form', { name: 'New sharing agreement' });
    await form.getByLabel('Title').fill('Sussex missing children protocol');
    await form.getByLabel('Effective from').fill('2026-12-01');
    await form.getByLabel('Expires on').fill('2027-12-01');
    const parties = form.getByRole('group', { name: /^Parties/ });
    await parties.getByRole('checkbox', { name: 'SUSSEX', exact: true }).check();
    await parties.getByRole('checkbox', { name: 'OXON_CS', exact: true }).check();
    await form.getByRole('group', { name: 'Legal gateways' }).getByRole('checkbox').first().check();
    await form.getByRole('group', { name: 'Kinds of record covered' }).getByRole('checkbox', { name: 'Referral' }).check();
    await form.getByRole('button', { name: 'Create agreement' }).click();
    await table.getByRole('rowheader', { name: 'Sussex missing children protocol', exact: true }).waitFor();
    await table.getByRole('rowheader', { name: input.title, exact: true }).waitFor();
  });

  it('refreshes the home page’s figures when others change things, at most once every 2 seconds', async () => {
    const { page } = session.watched;
    const homeRequests: Request[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql') && request.postDataJSON()?.operationName === 'Home') homeRequests.push(request);
    });
    // When the browser sent each, by its own clock. The test hears of a request late whenever it is
    // busy (it runs the server too), so a gap measured here could come out under the 2 s the page keeps.
    const sentAt = () => Promise.all(homeRequests.map(async (request) => (await request.response(), request.timing().startTime)));
    await signIn(page, 'serocu.analyst');
    const openThreats = page.getByRole('heading', { name: /^Open threats by priority and lead organisation/ });
    await openThreats.waitFor();
    await live(page);
    const countIn = async () => Number(/\((\d+)\)$/.exec((await openThreats.textContent()) ?? '')![1]);
    const before = await countIn();

    // Four threats recorded in a burst by another force: the total follows, in few requests.
    const started = Date.now();
    homeRequests.length = 0;
    for (const name of ['Operation Hawthorn', 'Operation Blackthorn', 'Operation Holly', 'Operation Yew']) {
      await createThreat(session.app, 'tvp.investigator', { name });
    }
    await page.getByRole('heading', { name: `Open threats by priority and lead organisation (${before + 4})` }).waitFor();
    const elapsed = Date.now() - started;
    expect(homeRequests.length).toBeGreaterThan(0);
    expect(homeRequests.length).toBeLessThanOrEqual(Math.ceil(elapsed / 2000) + 1);
    const sent = await sentAt();
    for (let i = 1; i < sent.length; i++) expect(sent[i] - sent[i - 1]).toBeGreaterThanOrEqual(1900);

    // A disruption validated elsewhere reaches the chart's figures.
    const counting = page.getByText(/^\d+ of \d+ validated count as disruptions/);
    const countingBefore = Number(/^(\d+)/.exec((await counting.textContent()) ?? '')![1]);
    const threat = await assessedThreat(session.app, { name: 'Operation Medlar' });
    const claim = await submittedDisruption(session.app, 'tvp.investigator', threat.id);
    await validateDisruption(session.app, 'serocu.validator', claim);
    await page.getByText(new RegExp(`^${countingBefore + 1} of \\d+ validated count as disruptions`)).waitFor();
    await screenshot(page, 'live-home-figures');
  });
});
