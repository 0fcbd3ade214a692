import pg from 'pg';
import { createTestApp, type TestApp } from '../support/test-app';
import { approvedAssessment, createThreat, expectData } from '../support/factories';

/**
 * previewAssessmentModel: what publishing a definition would change, before it is published
 * (issue 15): checked as publishing checks it, counted over what the caller can read, nothing saved.
 */
let app: TestApp;
beforeAll(async () => (app = await createTestApp()));
afterAll(() => app.stop());

const PREVIEW = `query ($input: PublishAssessmentModelInput!) { previewAssessmentModel(input: $input) {
  current { version } nextVersion approvedAssessments assessmentsChangingBand assessmentMoves { from to count }
  assessedThreats threatsChangingPriority threatMoves { from to count } threatChanges { threat { name } from to } } }`;

async function owner<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: app.db.url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

it('counts the bands that would move over the assessments and threats the caller can read, and saves nothing', async () => {
  // Risk 56.25 (HIGH now) and 25 (LOW now), both readable by SEROCU.
  const high = await createThreat(app, 'tvp.investigator', { name: 'Operation Rowan' });
  const low = await createThreat(app, 'tvp.investigator', { name: 'Operation Elder' });
  const highAssessment = await approvedAssessment(app, high.id, { level: 3 });
  await approvedAssessment(app, low.id, { level: 2 });
  // One SEROCU cannot read (Thames Valley's own), with an approved HIGH assessment of its own.
  await createThreat(app, 'tvp.investigator', { name: 'Operation Hidden', access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'OWNER_ONLY' } });
  await owner(
    `insert into threat_assessment (threat_id, method, scores, confidence, rationale, model_version, harm_score, likelihood_score,
       organisational_position_score, risk_score, priority, status, assessed_by, decided_by, decided_at)
     select (select id from soc_threat where name = 'Operation Hidden'), method, scores, confidence, rationale, model_version, harm_score,
       likelihood_score, organisational_position_score, risk_score, priority, status, assessed_by, decided_by, decided_at
       from threat_assessment where priority = 'HIGH' and status = 'APPROVED'`,
  );
  expect(highAssessment.priority).toBe('HIGH');

  const current = expectData(await app.gql('serocu.analyst', '{ assessmentModel { version definition } }')).assessmentModel;
  const stricter = { ...current.definition, priorityBands: [{ band: 'HIGH', minRisk: 60 }, { band: 'MEDIUM', minRisk: 40 }, { band: 'LOW', minRisk: 20 }, { band: 'STANDARD', minRisk: 0 }] };

  // Only administrators, as for publishing.
  const notAdmin = await app.gql('serocu.sro', PREVIEW, { input: { definition: stricter } });
  expect(notAdmin.errors![0].extensions!.code).toBe('FORBIDDEN');
  expect(notAdmin.data).toBeNull();

  // Checked as publishing checks it: each field at fault named.
  const invalid = await app.gql('serocu.admin', PREVIEW, {
    input: { definition: { ...stricter, harm: { ...stricter.harm, physical: -1 }, priorityBands: [...stricter.priorityBands.slice(0, 3), { band: 'STANDARD', minRisk: 5 }] } },
  });
  expect(invalid.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  expect(invalid.errors![0].extensions!.fields.map((f: any) => f.field).sort()).toEqual(['input.definition.harm.physical', 'input.definition.priorityBands']);

  // The default role policy does not let administrators read threats: nothing of them is counted.
  const blind = expectData(await app.gql('serocu.admin', PREVIEW, { input: { definition: stricter } })).previewAssessmentModel;
  expect(blind).toMatchObject({ current: { version: current.version }, nextVersion: current.version + 1, approvedAssessments: 0, assessedThreats: 0, threatChanges: [] });

  // Allowed to read threats, they see the two SEROCU can read; never Thames Valley's own.
  const grants = expectData(await app.gql('serocu.admin', '{ accessRoleGrants { dataCategory roles } }')).accessRoleGrants;
  const threatReaders = grants.find((g: any) => g.dataCategory === 'THREAT').roles;
  expectData(
    await app.gql('serocu.admin', 'mutation ($input: SetAccessRoleGrantsInput!) { setAccessRoleGrants(input: $input) { dataCategory } }', {
      input: { dataCategory: 'THREAT', roles: [...threatReaders, 'ADMIN'] },
    }),
  );
  try {
    const preview = expectData(await app.gql('serocu.admin', PREVIEW, { input: { definition: stricter } })).previewAssessmentModel;
    expect(preview).toEqual({
      current: { version: current.version },
      nextVersion: current.version + 1,
      approvedAssessments: 2,
      assessmentsChangingBand: 1,
      assessmentMoves: [{ from: 'HIGH', to: 'MEDIUM', count: 1 }],
      assessedThreats: 2,
      threatsChangingPriority: 1,
      threatMoves: [{ from: 'HIGH', to: 'MEDIUM', count: 1 }],
      threatChanges: [{ threat: { name: 'Operation Rowan' }, from: 'HIGH', to: 'MEDIUM' }],
    });
    // The model in force unchanged.
    expect(expectData(await app.gql('serocu.analyst', '{ assessmentModel { version } }')).assessmentModel.version).toBe(current.version);
  } finally {
    await app.gql('serocu.admin', 'mutation ($input: SetAccessRoleGrantsInput!) { setAccessRoleGrants(input: $input) { dataCategory } }', {
      input: { dataCategory: 'THREAT', roles: threatReaders },
    });
  }
});
