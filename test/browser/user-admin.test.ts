import type { Page } from 'playwright-core';
import { axeOnPage } from '../support/axe';
import { describeInBrowser, screenshot, useBrowserSession } from '../support/browser';
import { expectData } from '../support/factories';
import { signIn } from './sign-in';

async function expectAccessible(page: Page, screen: string): Promise<void> {
  expect((await axeOnPage(page)).seriousViolations.map((f) => `${screen}: ${f}`)).toEqual([]);
}

const USER = `query ($username: String!) { users(filter: { text: $username }) { edges { node { username displayName roles clearance active organisation { code } } } } }`;
async function userAsAdminSeesIt(app: any, username: string) {
  return expectData(await app.gql('serocu.admin', USER, { username })).users.edges.map((e: any) => e.node).find((u: any) => u.username === username);
}

/** Administrators: user accounts and API keys on screen (issue 15). */
describeInBrowser('web client: administrators manage users and API keys', () => {
  const session = useBrowserSession();

  it('adds a user, changes their roles and clearance, and deactivates them', async () => {
    const { page } = session.watched;
    await signIn(page, 'serocu.admin');
    await page.getByRole('link', { name: 'Manage user accounts' }).click();
    await page.getByRole('heading', { level: 1, name: 'User accounts' }).waitFor();
    await page.getByTestId('users').getByText('tvp.investigator').waitFor();
    await expectAccessible(page, 'users');

    await page.getByRole('button', { name: 'Add a user' }).click();
    // Nothing filled in: the server's messages beside each field.
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.locator('form[aria-labelledby="new-user"] .field-error').first().waitFor();
    expect(await page.locator('form[aria-labelledby="new-user"] .field-error').count()).toBeGreaterThanOrEqual(3);
    await expectAccessible(page, 'new-user-errors');

    const form = page.locator('form[aria-labelledby="new-user"]');
    await form.getByLabel('Full name').fill('Priya Newcombe');
    await form.getByLabel('Sign-in name').fill('tvp.pnewcombe');
    await form.getByLabel('Organisation').selectOption({ label: 'Thames Valley Police' });
    await form.getByLabel('Analyst', { exact: true }).check();
    await form.getByLabel('Clearance').selectOption({ label: 'Official-Sensitive' });
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByText('Priya Newcombe can now sign in.').waitFor();
    expect(await userAsAdminSeesIt(session.app, 'tvp.pnewcombe')).toEqual({
      username: 'tvp.pnewcombe', displayName: 'Priya Newcombe', roles: ['ANALYST'], clearance: 'OFFICIAL_SENSITIVE', active: true, organisation: { code: 'TVP' },
    });

    await page.getByRole('searchbox', { name: 'Name or sign-in name' }).fill('newcombe');
    await page.getByRole('button', { name: 'Change Priya Newcombe' }).click();
    const panel = page.getByTestId('user-changes');
    await panel.getByLabel('Investigator', { exact: true }).check();
    await panel.getByRole('button', { name: 'Save roles' }).click();
    await page.getByText('Priya Newcombe’s roles are changed.').waitFor();
    expect((await userAsAdminSeesIt(session.app, 'tvp.pnewcombe')).roles).toEqual(['ANALYST', 'INVESTIGATOR']);

    await page.getByRole('button', { name: 'Change Priya Newcombe' }).click();
    await panel.getByLabel('Clearance').selectOption({ label: 'Official' });
    await panel.getByRole('button', { name: 'Save clearance' }).click();
    await page.getByText('Priya Newcombe is now cleared to Official.').waitFor();
    expect((await userAsAdminSeesIt(session.app, 'tvp.pnewcombe')).clearance).toBe('OFFICIAL');

    await page.getByRole('button', { name: 'Change Priya Newcombe' }).click();
    await panel.getByRole('button', { name: 'Deactivate…' }).click();
    await expectAccessible(page, 'deactivate-confirm');
    await panel.getByRole('button', { name: 'Deactivate Priya Newcombe' }).click();
    await page.getByText('Priya Newcombe is deactivated and signed out.').waitFor();
    expect((await userAsAdminSeesIt(session.app, 'tvp.pnewcombe')).active).toBe(false);
    expect((await session.app.gql('tvp.pnewcombe', '{ viewer { username } }')).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    await screenshot(page, 'admin-users');
  });

  it('makes an API key shown once, lists its expiry and use, and revokes it', async () => {
    const { page } = session.watched;
    await signIn(page, 'serocu.admin');
    await page.getByRole('link', { name: 'Manage API keys' }).click();
    await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
    await page.getByRole('button', { name: 'Make the key' }).click();
    await page.locator('.field-error').first().waitFor();
    await expectAccessible(page, 'api-keys-errors');

    await page.getByLabel('What it is for').fill('Quarterly returns');
    const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Expires on (optional)').fill(expires);
    await page.getByRole('button', { name: 'Make the key' }).click();
    const key = await page.getByLabel('The new key').inputValue();
    expect(key).toMatch(/^soc_[0-9a-f]{32}_/);
    await expectAccessible(page, 'api-key-shown-once');

    // The key works, and its use shows in the list.
    const used = await fetch(`${session.app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query: '{ viewer { username } }' }) });
    expect(((await used.json()) as any).data.viewer.username).toMatch(/^svc\.serocu\./);
    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await page.getByLabel('The new key').count()).toBe(0);
    await page.reload();
    const row = page.getByTestId('api-keys').getByRole('row', { name: /Quarterly returns/ });
    await row.getByText('In use').waitFor();
    await row.getByText('by serocu.admin').waitFor();
    expect(await row.getByText('Never used').count()).toBe(0);
    expect(await page.content()).not.toContain(key);

    await row.getByRole('button', { name: 'Revoke “Quarterly returns”' }).click();
    await row.getByRole('button', { name: 'Revoke “Quarterly returns” now' }).click();
    await page.getByText('“Quarterly returns” is revoked: it no longer works.').waitFor();
    await row.getByText(/^Revoked /).waitFor();
    const refused = await fetch(`${session.app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query: '{ viewer { username } }' }) });
    expect(((await refused.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    await screenshot(page, 'admin-api-keys');
  });

  it('tells someone who is not an administrator that the screens are not theirs', async () => {
    const { page } = session.watched;
    await signIn(page, 'serocu.analyst');
    expect(await page.getByRole('link', { name: 'Manage user accounts' }).count()).toBe(0);
    await page.goto('/admin/users');
    await page.getByText('Only administrators can manage user accounts.').waitFor();
  });
});
