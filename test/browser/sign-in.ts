import type { Page } from 'playwright-core';
import { purposeFor } from '../support/purposes';

/** A purpose as the sign-in page names it: ANALYSIS → Analysis. */
const label = (purpose: string) => purpose.charAt(0) + purpose.slice(1).toLowerCase();

/**
 * Signs in through the development sign-in page stating a purpose first, as a user must: the
 * user buttons stay disabled until one is chosen (and for users whose roles do not allow it), and
 * it goes with every request as X-Purpose. By default the user's own default purpose
 * (test/support/purposes.ts: Investigation where their roles allow it).
 */
export async function signIn(page: Page, username: string, purpose = label(purposeFor(username))): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Purpose of your work').selectOption({ label: purpose });
  await page.getByRole('button', { name: new RegExp(`\\b${username.replace(/\./g, '\\.')}\\b`) }).click();
  await page.getByTestId('signed-in').waitFor();
}
