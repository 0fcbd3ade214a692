import { createTestApp, type TestApp } from './support/test-app';
import { expectData } from './support/factories';

/**
 * The demo data must be rich enough to show every screen and report: these checks read it
 * through the API as a user would.
 */
let app: TestApp;
beforeAll(async () => (app = await createTestApp({ seed: 'demo' })));
afterAll(() => app.stop());

async function all(query: string, path: string): Promise<any[]> {
  const data = expectData(await app.gql('serocu.analyst', query));
  return data[path].edges.map((e: any) => e.node);
}

describe('demo data', () => {
  it('has a dozen or more threats across the four forces, in every status, with several activities each', async () => {
    const threats = await all(`{ threats(first: 100) { edges { node { status priority owningOrganisation { code } leadOrganisation { code }
      criminalActivities { category } members { role nominal { isChild } } currentAssessment { status } } } } }`, 'threats');
    expect(threats.length).toBeGreaterThanOrEqual(12);
    expect(new Set(threats.map((t) => t.status))).toEqual(new Set(['TRIGGER_SUBMITTED', 'UNDER_ASSESSMENT', 'ASSESSED', 'ADOPTED', 'UNDER_REVIEW', 'ARCHIVED', 'REJECTED']));
    expect(new Set(threats.map((t) => t.leadOrganisation.code))).toEqual(new Set(['TVP', 'HIOW', 'SURREY', 'SUSSEX']));
    const activityCounts = threats.map((t) => t.criminalActivities.length);
    expect(activityCounts.filter((n) => n >= 2).length).toBeGreaterThan(threats.length / 2);
    expect(activityCounts).toContain(1);
    expect(new Set(threats.map((t) => t.priority).filter(Boolean)).size).toBeGreaterThanOrEqual(2);
    expect(threats.some((t) => t.members.some((m: any) => m.role === 'EXPLOITED_VICTIM' && m.nominal.isChild))).toBe(true);
    for (const t of threats.filter((x) => ['ASSESSED', 'ADOPTED', 'UNDER_REVIEW', 'ARCHIVED'].includes(x.status))) {
      expect(t.currentAssessment).toEqual({ status: 'APPROVED' });
    }
  });
});
