import type { Page } from 'playwright-core';
import { axeOnPage } from '../support/axe';
import { describeInBrowser, openPage, screenshot, useBrowserSession } from '../support/browser';
import { createThreat, expectData } from '../support/factories';
import { signIn } from './sign-in';

async function expectAxeClean(page: Page, screen: string) {
  const { seriousViolations, rulesNotApplied } = await axeOnPage(page);
  expect(seriousViolations.map((f) => `${screen}: ${f}`)).toEqual([]);
  expect(rulesNotApplied).toEqual([]);
}

const MODEL = '{ assessmentModel { version definition note createdBy { username } } }';
const PREVIEW = `query ($input: PublishAssessmentModelInput!) { previewAssessmentModel(input: $input) { approvedAssessments assessmentsChangingBand assessedThreats threatsChangingPriority } }`;
const SET_GRANTS = 'mutation ($input: SetAccessRoleGrantsInput!) { setAccessRoleGrants(input: $input) { dataCategory } }';

/**
 * Publishing a new version of the MoRiLE model from a screen, after a preview of what it changes
 * (issue 15): the administrator drafts from the version in force, is told by field what the
 * server refuses, previews the differences and their effect on what they can read, confirms,
 * and the scoring screens then use the new version. Others have no such screen.
 */
describeInBrowser('web client: publishing a new assessment model version', () => {
  const session = useBrowserSession();

  it('an administrator drafts, previews and publishes; scoring then uses the new version; others cannot', async () => {
    const app = session.app;
    const before = expectData(await app.gql('serocu.admin', MODEL)).assessmentModel;
    const next = before.version + 1;
    const physical = before.definition.harm.physical;
    const high = before.definition.priorityBands[0].minRisk;
    // So the preview can show the effect on threats, administrators may read them for this test.
    const grants = expectData(await app.gql('serocu.admin', '{ accessRoleGrants { dataCategory roles } }')).accessRoleGrants;
    const threatReaders = grants.find((g: any) => g.dataCategory === 'THREAT').roles;
    expectData(await app.gql('serocu.admin', SET_GRANTS, { input: { dataCategory: 'THREAT', roles: [...threatReaders, 'ADMIN'] } }));
    try {
      const page = session.watched.page;
      await signIn(page, 'serocu.admin'); // an administrator may state Audit only
      await page.getByRole('link', { name: 'Assessment model: publish a new version' }).click();
      await page.getByRole('heading', { level: 1, name: 'Assessment model' }).waitFor();
      await page.getByRole('heading', { name: `Version ${before.version} is in force` }).waitFor();
      await page.getByText('Existing assessments keep the version they were scored with.').waitFor();
      await expectAxeClean(page, 'assessment model');

      // A mistake first: the server's message beside the fields it is about.
      await page.getByLabel('Standard priority starts at').fill('5');
      await page.getByRole('button', { name: 'Preview changes' }).click();
      await page.getByText('Priority bands: the lowest band (Standard) must start at 0').waitFor();
      await page.getByLabel('Physical harm (weight)').fill('');
      await page.getByLabel('Standard priority starts at').fill('0');
      await page.getByRole('button', { name: 'Preview changes' }).click();
      const physicalField = page.locator('.field', { has: page.getByLabel('Physical harm (weight)') });
      await physicalField.getByText('must be a number').waitFor();
      expect(await page.getByTestId('model-preview').count()).toBe(0);
      await expectAxeClean(page, 'assessment model with the server messages');

      await page.getByLabel('Name of the model').fill('SEROCU MoRiLE model, board of 1 December');
      await page.getByLabel('Physical harm (weight)').fill(String(physical + 1));
      await page.getByLabel('High priority starts at').fill(String(high + 10));
      await page.getByLabel('Why this version (optional)').fill('Agreed at the regional tasking board.');
      await page.getByRole('button', { name: 'Preview changes' }).click();
      const preview = page.getByTestId('model-preview');
      await preview.getByRole('heading', { name: `What version ${next} changes` }).waitFor();
      await preview.getByText(`High priority: starts at risk score ${high} → ${high + 10}`).waitFor();
      await preview.getByText(new RegExp(`^Physical harm: weight ${physical} → ${physical + 1} \\(share of harm \\d+% → \\d+%\\)$`)).waitFor();
      await preview.getByText(/^Name: /).waitFor();

      // The effect the screen states is the server's, for this definition and this user.
      const definition = {
        ...before.definition,
        name: 'SEROCU MoRiLE model, board of 1 December',
        harm: { ...before.definition.harm, physical: physical + 1 },
        priorityBands: before.definition.priorityBands.map((b: any, i: number) => (i === 0 ? { ...b, minRisk: high + 10 } : b)),
      };
      const effect = expectData(await app.gql('serocu.admin', PREVIEW, { input: { definition } }, { purpose: 'AUDIT' })).previewAssessmentModel;
      expect(effect.approvedAssessments).toBeGreaterThan(0);
      await preview.getByText(new RegExp(`^Of the ${effect.approvedAssessments} approved assessments? in use that you can see, ${effect.assessmentsChangingBand || 'none'} would`)).waitFor();
      await preview.getByText(new RegExp(`^Of the ${effect.assessedThreats} assessed threats? you can see, ${effect.threatsChangingPriority || 'none'} would`)).waitFor();
      await expectAxeClean(page, 'assessment model preview');
      await screenshot(page, 'assessment-model-preview');

      await preview.getByRole('button', { name: `Publish version ${next}` }).click();
      await preview.getByText(`Publish version ${next}?`).waitFor();
      await preview.getByRole('button', { name: `Yes, publish version ${next}` }).click();
      await page.getByRole('status').getByText(`Version ${next} is now in force`).waitFor();
      await page.getByRole('heading', { name: `Version ${next} is in force` }).waitFor();

      const after = expectData(await app.gql('serocu.analyst', MODEL)).assessmentModel;
      expect(after).toMatchObject({ version: next, note: 'Agreed at the regional tasking board.', createdBy: { username: 'serocu.admin' } });
      expect(after.definition).toEqual(definition);

      // The scoring screen scores against the new version, and so does the API.
      const threat = await createThreat(app, 'tvp.investigator', { name: 'Operation Juniper' });
      const analyst = await openPage(session.browser, app.url);
      try {
        await signIn(analyst.page, 'serocu.analyst');
        await analyst.page.goto(`/threats/${encodeURIComponent(threat.id)}/assess`);
        await analyst.page.getByText(`Scored against SEROCU MoRiLE model, board of 1 December (version ${next}).`).waitFor();

        // Without the administrator role: no link, no form, and the API refuses.
        await analyst.page.goto('/');
        await analyst.page.getByRole('heading', { name: 'More' }).waitFor();
        expect(await analyst.page.getByRole('link', { name: /Assessment model/ }).count()).toBe(0);
        await analyst.page.goto('/admin/assessment-model');
        await analyst.page.getByText('Only administrators can publish a new version of the assessment model.').waitFor();
        expect(await analyst.page.getByRole('button', { name: 'Preview changes' }).count()).toBe(0);
        expect(analyst.consoleErrors).toEqual([]);
      } finally {
        await analyst.context.close();
      }
      const scored = expectData(
        await app.gql('serocu.analyst', 'mutation ($input: CreateAssessmentInput!) { createAssessment(input: $input) { modelVersion } }', {
          input: {
            threatId: threat.id,
            method: 'MORILE_TACTICAL',
            confidence: 'HIGH',
            rationale: 'Scored after the new model.',
            harm: { physical: 2, psychological: 2, financial: 2, communityEnvironment: 2, geographicScope: 2 },
            likelihood: { victimVulnerability: 2, frequency: 2, trajectory: 2 },
            organisationalPosition: { capacity: 2, capability: 2, opportunity: 2 },
          },
        }),
      ).createAssessment;
      expect(scored.modelVersion).toBe(next);
      for (const op of ['query ($input: PublishAssessmentModelInput!) { previewAssessmentModel(input: $input) { nextVersion } }', 'mutation ($input: PublishAssessmentModelInput!) { publishAssessmentModel(input: $input) { version } }']) {
        const refused = await app.gql('serocu.analyst', op, { input: { definition } });
        expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      }
      expect(expectData(await app.gql('serocu.analyst', MODEL)).assessmentModel.version).toBe(next);
    } finally {
      await app.gql('serocu.admin', SET_GRANTS, { input: { dataCategory: 'THREAT', roles: threatReaders } });
    }
  });
});
