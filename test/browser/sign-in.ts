import type { Page } from 'playwright-core';

/**
 * Signs in through the development sign-in page stating a purpose first, as a user must: the
 * user buttons stay disabled until one is chosen, and it goes with every request as X-Purpose.
 */
export async function signIn(page: Page, username: string, purpose = 'Investigation'): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Purpose of your work').selectOption({ label: purpose });
  await page.getByRole('button', { name: new RegExp(`\\b${username.replace(/\./g, '\\.')}\\b`) }).click();
  await page.getByTestId('signed-in').waitFor();
}
