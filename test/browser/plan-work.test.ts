import type { Page } from 'playwright-core';
import { axeOnPage } from '../support/axe';
import { describeInBrowser, screenshot, useBrowserSession } from '../support/browser';
import { expectData, orgId } from '../support/factories';
import { adoptedThreat, daysFromToday, planDo } from '../support/plan-factories';
import { signIn } from './sign-in';

/** Serious or critical axe violations on the page as it is now, one line each. */
async function axeProblems(page: Page): Promise<string[]> {
  return (await axeOnPage(page)).seriousViolations;
}

const PLAN = `id version status closureReason reviewFrequencyDays nextReviewDue protectiveMarking sharing
  lro { username } owningOrganisation { code } threat { id }
  objectives { id strand description successMeasure }
  actions { id description }
  reviews { date forum decisions reviewer { username } }
  intelligenceGaps { id text recordedOn resolution resolvedOn }
  quality { problems { code message } }`;

/** A plan as the API has it now, for serocu.lro. */
async function planNow(session: ReturnType<typeof useBrowserSession>, id: string) {
  return expectData(await session.app.gql('serocu.lro', `query ($id: ID!) { node(id: $id) { ... on FourPPlan { ${PLAN} } } }`, { id })).node;
}

/** A 4P plan opened from the threat page, then worked on in its editor; each step checked through the API. */
describeInBrowser('web client: opening a 4P plan and working on it', () => {
  const session = useBrowserSession();

  it('opens a plan for an adopted threat, edits an objective, removes an action, records a review from the gate, fills an intelligence gap and moves the plan along', async () => {
    const app = session.app;
    const threat = await adoptedThreat(app, 'tvp.investigator', { name: 'Operation Kestrel' });
    const { page } = session.watched;
    await signIn(page, 'serocu.lro');

    // 1. The threat page: no plan shared, so the LRO's organisation (the regional unit) may open one.
    await page.goto(`/threats/${threat.id}`);
    const planSection = page.locator('section', { has: page.getByRole('heading', { name: '4P plan', exact: true }) });
    await planSection.getByText('No 4P plan is shared with you for this threat.').waitFor();
    await planSection.getByText('Open a 4P plan for this threat').click();
    expect(await planSection.getByLabel('Lead responsible officer').inputValue()).not.toBe('');
    expect(await planSection.getByLabel('Lead responsible officer').locator('option:checked').textContent()).toBe('DI Marcus Ellery (you)');
    await planSection.getByLabel('Protective marking').selectOption({ label: 'Official sensitive' });
    await planSection.getByLabel('Sharing').selectOption({ label: 'Regional law enforcement' });
    await planSection.getByLabel('Review every (days)').fill('30');
    expect(await axeProblems(page)).toEqual([]);
    await screenshot(page, 'plan-work-open');
    await planSection.getByRole('button', { name: 'Open the plan' }).click();
    await page.waitForURL(/\/plans\/[^/?]+$/);
    const planId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    await page.getByRole('heading', { name: '4P plan: Operation Kestrel', level: 1 }).waitFor();
    await page.getByTestId('protective-marking').getByText('Official sensitive').waitFor();
    let plan = await planNow(session, planId);
    expect(plan).toMatchObject({ status: 'DRAFT', reviewFrequencyDays: 30, protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT', lro: { username: 'serocu.lro' }, owningOrganisation: { code: 'SEROCU' }, threat: { id: threat.id } });

    // Meanwhile (through the API): an objective, an action, and a review 60 days ago, so the next one is overdue.
    plan = await planDo(app, 'serocu.lro', 'addObjective', { planId, expectedVersion: plan.version, objective: { strand: 'PURSUE', description: 'Dismantle the line', successMeasure: null } }, PLAN);
    plan = await planDo(app, 'serocu.lro', 'addAction', {
      planId,
      expectedVersion: plan.version,
      action: { strand: 'PURSUE', tactic: 'CRIME', description: 'Entered twice by mistake', ownerOrganisationId: await orgId(app, 'SEROCU'), addressesActivityIds: [] },
    }, PLAN);
    plan = await planDo(app, 'serocu.lro', 'recordPlanReview', { planId, expectedVersion: plan.version, date: daysFromToday(-60), forum: 'Regional tasking', decisions: 'Carry on.' }, PLAN);
    const overdue = plan.quality.problems.find((p: any) => p.code === 'REVIEW_OVERDUE').message as string;
    await page.reload();
    const pursue = page.locator('section.strand', { has: page.getByRole('heading', { name: 'Pursue', exact: true }) });
    await pursue.getByRole('heading', { name: 'Dismantle the line' }).waitFor();

    // 2. Editing the objective.
    await pursue.getByText('Change this objective').click();
    await pursue.getByRole('textbox', { name: 'Objective', exact: true }).fill('Dismantle the Kestrel line');
    await pursue.getByRole('textbox', { name: 'Success measure (optional)' }).fill('Line holders charged');
    await pursue.getByRole('button', { name: 'Save objective' }).click();
    await pursue.getByRole('heading', { name: 'Dismantle the Kestrel line' }).waitFor();
    plan = await planNow(session, planId);
    expect(plan.objectives).toEqual([expect.objectContaining({ strand: 'PURSUE', description: 'Dismantle the Kestrel line', successMeasure: 'Line holders charged' })]);

    // 3. Removing the action: asked first; "Keep it" keeps it, then confirming removes it.
    const action = pursue.locator('ul.actions li', { hasText: 'Entered twice by mistake' });
    await action.getByRole('button', { name: 'Remove action' }).click();
    await action.getByText('If the work was real but has stopped, set its status to Cancelled instead.').waitFor();
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.textContent)).toBe('Keep it');
    await page.keyboard.press('Enter');
    await action.getByRole('button', { name: 'Remove action' }).waitFor();
    expect((await planNow(session, planId)).actions).toHaveLength(1);
    await action.getByRole('button', { name: 'Remove action' }).click();
    await action.getByRole('button', { name: 'Yes, remove it' }).click();
    await action.waitFor({ state: 'detached' });
    expect((await planNow(session, planId)).actions).toEqual([]);

    // 4. The gate's overdue review offers to record one, right there; the form opens with the date focused.
    const problem = page.getByRole('list', { name: 'Quality gate problems' }).getByRole('listitem').filter({ hasText: overdue });
    await problem.getByRole('button', { name: 'Record a review' }).click();
    const reviews = page.locator('section', { has: page.getByRole('heading', { name: /^Reviews/ }) });
    const date = reviews.getByLabel('Date of the review');
    await page.waitForFunction(() => (globalThis as any).document.activeElement?.type === 'date');
    expect(await date.inputValue()).toBe(daysFromToday(0));
    // A date in the future is refused before anything is sent.
    await date.fill(daysFromToday(3));
    await reviews.getByText('This date is in the future').waitFor();
    await date.fill(daysFromToday(0));
    await reviews.getByText(/The next review will then fall due on/).waitFor();
    await reviews.getByLabel('Where it was reviewed').fill('Regional tasking and coordination group');
    await reviews.getByLabel('What was decided').fill('Adopt the new Pursue objective.');
    expect(await axeProblems(page)).toEqual([]);
    await screenshot(page, 'plan-work-review');
    await reviews.getByRole('button', { name: 'Record review' }).click();
    await problem.waitFor({ state: 'detached' });
    await reviews.getByText('Adopt the new Pursue objective.').waitFor();
    plan = await planNow(session, planId);
    expect(plan.reviews).toHaveLength(2);
    expect(plan.reviews[1]).toMatchObject({ date: daysFromToday(0), forum: 'Regional tasking and coordination group', reviewer: { username: 'serocu.lro' } });
    expect(plan.nextReviewDue).toBe(daysFromToday(30));
    expect(plan.quality.problems.map((p: any) => p.code)).not.toContain('REVIEW_OVERDUE');

    // 5. An intelligence gap, recorded and then filled.
    const entries = page.locator('section', { has: page.getByRole('heading', { name: 'Intelligence gaps, outcomes and learning' }) });
    await entries.getByText('Record an intelligence gap, outcome or learning').click();
    await entries.getByLabel('What it is').selectOption({ label: 'Intelligence gap' });
    await entries.getByLabel('What is not yet known').fill('Who supplies the line');
    await entries.getByRole('button', { name: 'Record intelligence gap' }).click();
    const gap = entries.locator('li', { hasText: 'Who supplies the line' });
    await gap.getByText('Still open.').waitFor();
    plan = await planNow(session, planId);
    expect(plan.intelligenceGaps).toEqual([expect.objectContaining({ text: 'Who supplies the line', recordedOn: daysFromToday(0), resolvedOn: null })]);
    await gap.getByText('Mark this gap as filled').click();
    await gap.getByLabel('How it was filled').fill('Covert source named the supplier');
    await gap.getByRole('button', { name: 'Mark as filled' }).click();
    await gap.getByText(/Filled .*: Covert source named the supplier/).waitFor();
    plan = await planNow(session, planId);
    expect(plan.intelligenceGaps[0]).toMatchObject({ resolution: 'Covert source named the supplier', resolvedOn: daysFromToday(0) });

    // 6. The status: only the allowed moves are offered, in words; closing needs a reason.
    await page.getByText('Change the plan’s status (now Draft)').click();
    const moves = page.locator('fieldset', { has: page.getByText('What happens to the plan') });
    expect(await moves.locator('label').allTextContents()).toEqual([' Make the plan active']);
    await moves.getByLabel('Make the plan active').check();
    await page.getByRole('button', { name: 'Change status' }).click();
    await page.getByText('Change the plan’s status (now Active)').waitFor();
    expect((await planNow(session, planId)).status).toBe('ACTIVE');

    await page.getByText('Change the plan’s status (now Active)').click();
    expect(await moves.locator('label').allTextContents()).toEqual([' Put the plan under review', ' Close the plan']);
    await moves.getByLabel('Close the plan').check();
    await page.getByRole('button', { name: 'Close the plan' }).click();
    await page.getByText('Say why the plan is being closed.').waitFor();
    await page.getByLabel('Why the plan is closed').fill('Network dismantled: all line holders charged.');
    await page.getByRole('button', { name: 'Close the plan' }).click();
    await page.getByText('Closed: Network dismantled: all line holders charged.').waitFor();
    plan = await planNow(session, planId);
    expect(plan).toMatchObject({ status: 'CLOSED', closureReason: 'Network dismantled: all line holders charged.' });
    // A closed plan still takes learning; nothing else is offered.
    expect(await page.getByText('Change this objective').count()).toBe(0);
    await entries.getByText('Record an intelligence gap, outcome or learning').waitFor();
    expect(await axeProblems(page)).toEqual([]);
    await screenshot(page, 'plan-work-closed');

    // No developer words on the screen.
    const text = await page.locator('main').innerText();
    expect(text).not.toMatch(/\b(DRAFT|ACTIVE|UNDER_REVIEW|CLOSED|INTELLIGENCE_GAP|OFFICIAL_SENSITIVE|REGIONAL_LAW_ENFORCEMENT|FourPPlan|PlanEntry)\b/);
  });
});
