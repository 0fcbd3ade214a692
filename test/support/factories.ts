import type { TestApp } from './test-app';

/** Fails the test with the server's errors when a GraphQL call did not succeed. */
export function expectData(result: { data?: any; errors?: unknown[] }): any {
  if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
  return result.data;
}

const orgIdCache = new WeakMap<TestApp, Map<string, string>>();

/** The global ID of an organisation by code. */
export async function orgId(app: TestApp, code: string): Promise<string> {
  let cache = orgIdCache.get(app);
  if (!cache) {
    const data = expectData(await app.gql('serocu.admin', '{ organisations(first: 100) { edges { node { id code } } } }'));
    cache = new Map(data.organisations.edges.map((e: any) => [e.node.code, e.node.id]));
    orgIdCache.set(app, cache);
  }
  const id = cache.get(code);
  if (!id) throw new Error(`no organisation ${code}`);
  return id;
}

/** The global ID of a user, read as that user. */
export async function userId(app: TestApp, username: string): Promise<string> {
  return expectData(await app.gql(username, '{ viewer { id } }')).viewer.id;
}

export const THREAT_FIELDS = `id urn name status version priority riskScore subjectType protectiveMarking sharing
  owningOrganisation { code } leadOrganisation { code }
  criminalActivities { id category subCategory description firstIdentified }`;

/** A valid createThreat input with fictional details; override any part. */
export async function threatInput(app: TestApp, overrides: Record<string, unknown> = {}) {
  return {
    name: 'Operation Juniper',
    summary: 'County lines supply from London into Oxford using local children.',
    subjectType: 'ORGANISED_CRIME_GROUP',
    leadOrganisationId: await orgId(app, 'TVP'),
    taskingLevel: 'FORCE',
    geographicScope: 'REGIONAL',
    identifiedOn: '2025-06-01',
    criminalActivities: [
      { category: 'ILLEGAL_DRUGS', subCategory: 'COUNTY_LINES', description: 'Class A supply via the "Jay" line.', firstIdentified: '2025-06-01' },
    ],
    access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT' },
    ...overrides,
  };
}

export async function createThreat(app: TestApp, as: string, overrides: Record<string, unknown> = {}) {
  const result = await app.gql(as, `mutation ($input: CreateThreatInput!) { createThreat(input: $input) { ${THREAT_FIELDS} } }`, {
    input: await threatInput(app, overrides),
  });
  return expectData(result).createThreat;
}

/** Scores used in tests: every factor at `level` on the 0-4 scale. */
export function flatScores(level: number) {
  return {
    harm: { physical: level, psychological: level, financial: level, communityEnvironment: level, geographicScope: level },
    likelihood: { victimVulnerability: level, frequency: level, trajectory: level },
    organisationalPosition: { capacity: 2, capability: 2, opportunity: 2 },
  };
}

/** Creates, submits (as the assessor) and approves (as a second person) an assessment. */
export async function approvedAssessment(
  app: TestApp,
  threatId: string,
  { level, activityId, assessor = 'serocu.analyst', approver = 'serocu.sro' }: { level: number; activityId?: string; assessor?: string; approver?: string },
) {
  const created = expectData(
    await app.gql(assessor, `mutation ($input: CreateAssessmentInput!) { createAssessment(input: $input) { id version riskScore priority } }`, {
      input: { threatId, criminalActivityId: activityId ?? null, method: 'MORILE_TACTICAL', confidence: 'HIGH', rationale: 'Test scoring.', ...flatScores(level) },
    }),
  ).createAssessment;
  const submitted = expectData(
    await app.gql(assessor, `mutation ($input: AssessmentDecisionInput!) { submitAssessment(input: $input) { id version } }`, {
      input: { id: created.id, expectedVersion: created.version },
    }),
  ).submitAssessment;
  return expectData(
    await app.gql(approver, `mutation ($input: AssessmentDecisionInput!) { approveAssessment(input: $input) { id version status riskScore priority } }`, {
      input: { id: submitted.id, expectedVersion: submitted.version },
    }),
  ).approveAssessment;
}

/** Moves a threat to `status`, returning the threat's new version. */
export async function moveThreat(app: TestApp, as: string, threat: { id: string; version: number }, status: string, extra: Record<string, unknown> = {}) {
  return expectData(
    await app.gql(as, `mutation ($input: ChangeThreatStatusInput!) { changeThreatStatus(input: $input) { id status version adoptedOn nextReviewDue } }`, {
      input: { id: threat.id, expectedVersion: threat.version, status, ...extra },
    }),
  ).changeThreatStatus;
}
