import type { Page } from 'playwright-core';
import { axeOnPage } from '../support/axe';
import { describeInBrowser, screenshot, useBrowserSession } from '../support/browser';
import { expectData } from '../support/factories';
import { ISO_DATE } from '../support/dates';
import { addYears } from '../../server/src/modules/retention/retention-periods';
import { enumSpellingsIn } from '../support/enum-spellings';
import { signIn } from './sign-in';

async function expectAccessible(page: Page, screen: string): Promise<void> {
  expect((await axeOnPage(page)).seriousViolations.map((f) => `${screen}: ${f}`)).toEqual([]);
}

const QUEUE = '{ retentionReviewQueue(first: 100) { edges { node { recordId kind record { ... on Nominal { name } } } } } }';

/** Retention reviews (MoPI, issue 19) on screen: an LRO keeps one person and disposes of another, and disposes of a threat. */
describeInBrowser('web client: retention reviews', () => {
  const session = useBrowserSession();

  async function dueAsTheApiSaysIt(): Promise<{ recordId: string; kind: string; record: { name?: string } | null }[]> {
    return expectData(await session.app.gql('serocu.lro', QUEUE)).retentionReviewQueue.edges.map((e: any) => e.node);
  }

  it('an LRO keeps one person with a reason and next review date, and disposes of another after confirming', async () => {
    const { page } = session.watched;
    const before = await dueAsTheApiSaysIt();
    const kept = before.find((d) => d.record?.name === 'Corwin Ashbury')!;
    const disposed = before.find((d) => d.record?.name === 'Delphine Marchetti')!;
    expect(kept && disposed).toBeTruthy();

    await signIn(page, 'serocu.lro');
    // Home says how many wait, as the API counts them.
    await page.getByTestId('work-reviews').getByRole('heading', { name: `Records due for retention review (${before.length})` }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reviews due' }).click();
    await page.getByRole('heading', { level: 1, name: 'Reviews due' }).waitFor();
    const keepCard = page.getByRole('listitem', { name: 'Person Corwin Ashbury' });
    await keepCard.getByText(/Due for review since \d{1,2} \w{3} \d{4}/).waitFor();
    await page.getByRole('listitem', { name: /^Intelligence report INT-/ }).first().waitFor();
    expect(await page.getByTestId('reviews-due').innerText()).not.toMatch(ISO_DATE);
    await expectAccessible(page, 'reviews-due');

    // Keep: nothing filled in, the server's messages beside the fields; then a reason and a date.
    await keepCard.getByRole('button', { name: 'Keep', exact: true }).click();
    const keepForm = page.getByRole('form', { name: 'Keep Corwin Ashbury' });
    await keepForm.getByRole('button', { name: 'Keep it' }).click();
    await keepForm.locator('.field-error').first().waitFor();
    expect(await keepForm.locator('.field-error').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringMatching(/required/)]));
    await expectAccessible(page, 'keep-errors');
    const next = addYears(new Date().toISOString().slice(0, 10), 2);
    await keepForm.getByLabel('Why it is still needed').fill('Still an associate of a group under investigation.');
    await keepForm.getByLabel('Review again on').fill(next);
    await keepForm.getByRole('button', { name: 'Keep it' }).click();
    await page.getByTestId('review-outcome').getByText('Corwin Ashbury is kept until').waitFor();
    await keepCard.waitFor({ state: 'detached' });

    // Dispose: the confirmation says what goes and what stays.
    const disposeCard = page.getByRole('listitem', { name: 'Person Delphine Marchetti' });
    await disposeCard.getByText('Earlier reviews (1)').waitFor();
    await disposeCard.getByRole('button', { name: 'Dispose of' }).click();
    const confirm = page.getByRole('form', { name: 'Dispose of Delphine Marchetti' });
    await confirm.getByText(/This deletes the person's name, aliases, date of birth/).waitFor();
    await confirm.getByText(/Kept: that the record existed, who held it/).waitFor();
    await expectAccessible(page, 'dispose-confirmation');
    await confirm.getByLabel('Why it is no longer needed').fill('No longer needed for a policing purpose.');
    await confirm.getByRole('button', { name: 'Yes, dispose of it' }).click();
    await page.getByTestId('review-outcome').getByText('Delphine Marchetti has been disposed of.').waitFor();
    await disposeCard.waitFor({ state: 'detached' });

    // Checked through the API: one kept (out of the queue, still there), one gone with its tombstone.
    const after = (await dueAsTheApiSaysIt()).map((d) => d.recordId);
    expect(after).not.toContain(kept.recordId);
    expect(after).not.toContain(disposed.recordId);
    expect(expectData(await session.app.gql('serocu.lro', 'query ($id: ID!) { node(id: $id) { id } }', { id: kept.recordId })).node).toEqual({ id: kept.recordId });
    expect(expectData(await session.app.gql('serocu.lro', 'query ($id: ID!) { node(id: $id) { id } }', { id: disposed.recordId })).node).toBeNull();
    expect(expectData(await session.app.gql('serocu.lro', 'query ($id: ID!) { disposedRecord(id: $id) { reason disposedBy { username } } }', { id: disposed.recordId })).disposedRecord).toEqual({
      reason: 'No longer needed for a policing purpose.',
      disposedBy: { username: 'serocu.lro' },
    });

    // The disposed person's page says when, by whom and why, and nothing of them.
    await page.goto(`/people/${encodeURIComponent(disposed.recordId)}`);
    const notice = page.getByTestId('disposed-record');
    await notice.getByRole('heading', { name: 'Person disposed of' }).waitFor();
    const text = await notice.innerText();
    expect(text).toMatch(/disposed of on \d{1,2} \w{3} \d{4} by /);
    expect(text).toContain('No longer needed for a policing purpose.');
    expect(text).not.toContain('Delphine');
    await expectAccessible(page, 'disposed-person');
    await screenshot(page, 'retention-disposed');
  });

  it('names threats and safeguarding referrals in words in the queue; an LRO disposes of a threat, and its page then says so', async () => {
    const { page } = session.watched;
    const due = expectData(
      await session.app.gql('serocu.lro', '{ retentionReviewQueue(first: 100) { edges { node { recordId kind record { ... on SocThreat { name urn } ... on SafeguardingReferral { reference } } } } } }'),
    ).retentionReviewQueue.edges.map((e: any) => e.node);
    const threat = due.find((d: any) => d.kind === 'THREAT');
    const referral = due.find((d: any) => d.kind === 'SAFEGUARDING_REFERRAL');
    expect(threat && referral).toBeTruthy();

    // The threat has a plan (made here if the demo gave it none), which goes with it.
    const sql = (text: string, params: unknown[] = []) => session.app.app.orm.em.getConnection().execute(text, params);
    const threatDbId = Buffer.from(threat.recordId, 'base64url').toString().split(':')[1];
    await sql(`insert into fourp_plan (threat_id, owning_organisation_id, protective_marking, sharing, created_by, updated_by)
      select id, owning_organisation_id, 'OFFICIAL', 'REGIONAL_LAW_ENFORCEMENT', created_by, created_by from soc_threat where id = ? on conflict (threat_id) do nothing`, [threatDbId]);

    await signIn(page, 'serocu.lro');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reviews due' }).click();
    const threatCard = page.getByRole('listitem', { name: `Threat ${threat.record.name} (${threat.record.urn})` });
    const referralCard = page.getByRole('listitem', { name: `Safeguarding referral ${referral.record.reference}` });
    await threatCard.getByText(/Reviewed as threats/).waitFor();
    await referralCard.getByText(/Reviewed as referrals about children, sexual exploitation or modern slavery \(public protection\)/).waitFor();
    const main = await page.getByRole('main').innerText();
    expect(enumSpellingsIn(main)).toEqual([]);
    expect(main).not.toMatch(ISO_DATE);
    await expectAccessible(page, 'reviews-due-threat-referral');

    await threatCard.getByRole('button', { name: 'Dispose of' }).click();
    const confirm = page.getByRole('form', { name: `Dispose of ${threat.record.name} (${threat.record.urn})` });
    await confirm.getByText(/its 4P plan, its disruptions and the analytical requests made for it/).waitFor();
    await confirm.getByText(/The people in it stay, as records of their own/).waitFor();
    await expectAccessible(page, 'dispose-threat-confirmation');
    await confirm.getByLabel('Why it is no longer needed').fill('Group dismantled; no policing purpose remains.');
    await confirm.getByRole('button', { name: 'Yes, dispose of it' }).click();
    await page.getByTestId('review-outcome').getByText(`${threat.record.name} (${threat.record.urn}) has been disposed of.`).waitFor();
    await threatCard.waitFor({ state: 'detached' });

    expect(expectData(await session.app.gql('serocu.lro', 'query ($id: ID!) { node(id: $id) { id } }', { id: threat.recordId })).node).toBeNull();
    expect(expectData(await session.app.gql('serocu.lro', 'query ($id: ID!) { disposedRecord(id: $id) { kind } }', { id: threat.recordId })).disposedRecord).toEqual({ kind: 'THREAT' });

    await page.goto(`/threats/${encodeURIComponent(threat.recordId)}`);
    const notice = page.getByTestId('disposed-record');
    await notice.getByRole('heading', { name: 'Threat disposed of' }).waitFor();
    const text = await notice.innerText();
    expect(text).toContain('Group dismantled; no policing purpose remains.');
    expect(text).not.toContain(threat.record.name);
    await expectAccessible(page, 'disposed-threat');

    // Its plan's page says it went with the threat.
    const [{ record_id: planId }] = await sql(`select record_id from disposed_record where disposed_with = ? and record_type = 'FourPPlan'`, [threatDbId]);
    await page.goto(`/plans/${encodeURIComponent(Buffer.from(`FourPPlan:${planId}`).toString('base64url'))}`);
    const planNotice = page.getByTestId('disposed-record');
    await planNotice.getByRole('heading', { name: '4P plan disposed of' }).waitFor();
    expect(await planNotice.innerText()).toMatch(/after a retention review of the threat it belonged to, with that threat\./);
    await expectAccessible(page, 'disposed-plan');
  });

  it('is offered only to the roles that review records', async () => {
    const { page } = session.watched;
    await signIn(page, 'serocu.analyst');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reviews due' }).count()).toBe(0);
    await page.getByTestId('work-insights').waitFor();
    expect(await page.getByTestId('work-reviews').count()).toBe(0);
  });
});
