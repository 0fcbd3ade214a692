import type { TestApp } from './test-app';
import { approvedAssessment, createThreat, expectData, moveThreat } from './factories';

export const DISRUPTION_FIELDS = `id version status date strand level tactic description impactNarrative evidenceRefs isLate submittedAt
  countsAsDisruption statusReason possibleDuplicateOf { id } claimingOrganisation { code } contributors { code }
  validation { decision levelAgreed strandAgreed reasons validator { username } }`;

/** Runs SQL directly against the test file's database (test set-up only). */
export async function sql(app: TestApp, query: string, params: unknown[] = []): Promise<any[]> {
  return app.app.orm.em.getConnection().execute(query, params);
}

/** The database id inside a global ID. */
export function dbId(globalId: string): string {
  return Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];
}

export function globalId(type: string, id: string): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
}

/**
 * Today for this test file, read once when it loads: dates a test gives the server and the dates
 * it then expects back are counted from the same day even if the run crosses midnight UTC. (A
 * date the server stamped itself is checked with stampedDays, support/clock.ts.)
 */
export const FILE_TODAY_MS = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());

/** A calendar date `n` days before this file's today (UTC), YYYY-MM-DD. */
export function daysAgo(n: number): string {
  return new Date(FILE_TODAY_MS - n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * An ASSESSED threat owned by TVP, identified on `identifiedOn` and assessed on `assessedOn`.
 * The workflow stamps assessed_on with today's date, so the dates are set back with SQL: the
 * tests record disruptions dated in the past, and the rule "the threat was assessed on the date"
 * needs a threat assessed before them.
 */
export async function assessedThreat(
  app: TestApp,
  { name = 'Operation Larch', identifiedOn = '2025-06-01', assessedOn = '2025-07-01' }: { name?: string; identifiedOn?: string; assessedOn?: string } = {},
) {
  const created = await createThreat(app, 'tvp.investigator', {
    name,
    identifiedOn,
    criminalActivities: [
      { category: 'ILLEGAL_DRUGS', subCategory: 'COUNTY_LINES', description: 'Class A supply via the "Jay" line.', firstIdentified: identifiedOn },
      { category: 'MODERN_SLAVERY_HUMAN_TRAFFICKING', subCategory: 'CHILD_CRIMINAL_EXPLOITATION', description: 'Children used to run drugs.', firstIdentified: identifiedOn },
    ],
  });
  const underAssessment = await moveThreat(app, 'tvp.investigator', created, 'UNDER_ASSESSMENT');
  await approvedAssessment(app, created.id, { level: 2 });
  const assessed = await moveThreat(app, 'tvp.investigator', underAssessment, 'ASSESSED');
  await sql(app, 'update soc_threat set identified_on = ?, assessed_on = ? where id = ?', [identifiedOn, assessedOn, dbId(created.id)]);
  return { ...created, status: assessed.status as string, version: assessed.version as number };
}

/** A valid createDisruption input for a threat; override any part. */
export function disruptionInput(threatId: string, overrides: Record<string, unknown> = {}) {
  return {
    threatId,
    date: daysAgo(5),
    strand: 'PURSUE',
    level: 'MODERATE',
    tactic: 'CRIME',
    description: 'Warrant at a cuckooed flat; the line holder was arrested and charged.',
    impactNarrative: 'The "Jay" line stopped running for three weeks and two exploited children were safeguarded.',
    evidenceRefs: ['43/12345/26'],
    access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT' },
    ...overrides,
  };
}

export async function createDisruption(app: TestApp, as: string, threatId: string, overrides: Record<string, unknown> = {}) {
  return expectData(
    await app.gql(as, `mutation ($input: CreateDisruptionInput!) { createDisruption(input: $input) { ${DISRUPTION_FIELDS} } }`, {
      input: disruptionInput(threatId, overrides),
    }),
  ).createDisruption;
}

export async function submitDisruption(app: TestApp, as: string, d: { id: string; version: number }) {
  return expectData(
    await app.gql(as, `mutation ($input: SubmitDisruptionInput!) { submitDisruption(input: $input) { ${DISRUPTION_FIELDS} } }`, {
      input: { id: d.id, expectedVersion: d.version },
    }),
  ).submitDisruption;
}

/** Validates at the claimed level and strand unless told otherwise. */
export async function validateDisruption(app: TestApp, as: string, d: { id: string; version: number; level: string; strand: string }, extra: Record<string, unknown> = {}) {
  return expectData(
    await app.gql(as, `mutation ($input: ValidateDisruptionInput!) { validateDisruption(input: $input) { ${DISRUPTION_FIELDS} } }`, {
      input: { id: d.id, expectedVersion: d.version, levelAgreed: d.level, strandAgreed: d.strand, ...extra },
    }),
  ).validateDisruption;
}

/** Creates and submits a claim. */
export async function submittedDisruption(app: TestApp, as: string, threatId: string, overrides: Record<string, unknown> = {}) {
  return submitDisruption(app, as, await createDisruption(app, as, threatId, overrides));
}
