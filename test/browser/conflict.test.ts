import type { Page } from 'playwright-core';
import { describeInBrowser, openPage, screenshot, useBrowserSession, type WatchedPage } from '../support/browser';
import { createThreat } from '../support/factories';
import { signIn } from './sign-in';

/** Two people of the owning organisation edit the same threat; the second save meets the first. */
describeInBrowser('web client: editing conflicts', () => {
  const session = useBrowserSession();
  let other: WatchedPage | null = null;

  afterEach(async () => {
    if (!other) return;
    expect(other.consoleErrors).toEqual([]);
    await other.context.close();
    other = null;
  });

  /** Both open the edit form of a new SEROCU threat; the first saves a new summary. */
  async function firstSaveWhileSecondEdits(name: string) {
    const threat = await createThreat(session.app, 'serocu.analyst', { name, summary: 'Original summary.' });
    const first = session.watched.page;
    other = await openPage(session.browser, session.app.url);
    const second = other.page;
    await Promise.all([signIn(first, 'serocu.analyst'), signIn(second, 'serocu.lro')]);
    await Promise.all([first.goto(`/threats/${threat.id}/edit`), second.goto(`/threats/${threat.id}/edit`)]);
    await Promise.all([first.getByLabel('Summary').waitFor(), second.getByLabel('Summary').waitFor()]);

    await second.getByLabel('Summary').fill('The lead officer’s summary.');
    await first.getByLabel('Summary').fill('The analyst’s summary.');
    await first.getByRole('button', { name: 'Save changes' }).click();
    await first.getByTestId('summary').getByText('The analyst’s summary.').waitFor();
    // The first save reaches the second browser live; its form keeps what its user typed.
    await second.waitForTimeout(300);
    expect(await second.getByLabel('Summary').inputValue()).toBe('The lead officer’s summary.');
    await second.getByRole('button', { name: 'Save changes' }).click();
    return { threat, second };
  }

  const conflictRow = (page: Page, field: string) => page.getByTestId('conflict').getByRole('row', { name: new RegExp(`^${field}`) });

  it('shows the second person both versions side by side, and "keep mine" saves the second person’s values on the new version', async () => {
    const { threat, second } = await firstSaveWhileSecondEdits('Operation Alder');
    const conflict = second.getByTestId('conflict');
    await conflict.waitFor();
    const summary = conflictRow(second, 'Summary');
    expect(await summary.getByTestId('mine').textContent()).toBe('The lead officer’s summary.');
    expect(await summary.getByTestId('theirs').textContent()).toBe('The analyst’s summary.');
    const analyst = (await session.app.gql('serocu.analyst', '{ viewer { displayName } }')).data.viewer.displayName;
    expect(await conflict.textContent()).toContain(`${analyst} saved a newer version.`);
    expect(await conflictRow(second, 'Name').getByTestId('theirs').textContent()).toBe('Operation Alder');
    await screenshot(second, 'edit-conflict');

    await second.getByRole('button', { name: 'Keep mine (save again on the new version)' }).click();
    await second.getByTestId('summary').getByText('The lead officer’s summary.').waitFor();
    const { data } = await session.app.gql('serocu.analyst', `{ node(id: "${threat.id}") { ... on SocThreat { summary version } } }`);
    expect(data.node).toEqual({ summary: 'The lead officer’s summary.', version: threat.version + 2 });
  });

  it('"take theirs" drops the second person’s edits for the current version', async () => {
    const { threat, second } = await firstSaveWhileSecondEdits('Operation Aspen');
    await second.getByTestId('conflict').waitFor();
    await second.getByRole('button', { name: 'Take theirs' }).click();
    await second.getByTestId('conflict').waitFor({ state: 'detached' });
    expect(await second.getByLabel('Summary').inputValue()).toBe('The analyst’s summary.');
    // Now on the current version: a further edit saves without a conflict.
    await second.getByLabel('Name').fill('Operation Aspen (Reading)');
    await second.getByRole('button', { name: 'Save changes' }).click();
    await second.getByRole('heading', { name: /Operation Aspen \(Reading\)/, level: 1 }).waitFor();
    const { data } = await session.app.gql('serocu.analyst', `{ node(id: "${threat.id}") { ... on SocThreat { name summary } } }`);
    expect(data.node).toEqual({ name: 'Operation Aspen (Reading)', summary: 'The analyst’s summary.' });
  });
});
