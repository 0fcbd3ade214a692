import { createTestApp, type TestApp } from '../support/test-app';
import { expectData } from '../support/factories';
import { statementsSentDuring } from '../support/statements';

/**
 * A page of threats fetches what its threats' fields need (activities, lead organisation, plan
 * and what the plan's quality gate reads) in one message once the page is read, and primes the
 * request's loaders with it (modules/threats/threat.prefetch.ts). What each user gets must be
 * exactly what the same fields give through node(id), which never prefetches, and the page must
 * cost the round trips that design promises. These pages are those the resolvers answer, when a
 * page asks for a field the compiled list does not write (threats/threat.compiled.ts; its own
 * test is test/graphql/compiled-page.test.ts).
 */
const THREAT_PARTS = `id name leadOrganisation { code }
  criminalActivities { id category description assessment { id riskScore priority status assessedBy { id username organisation { code } } } }
  currentAssessment { id status assessedBy { username } }
  unassessedActivities { id category }
  assessmentHistory { id status method assessedBy { id displayName } criminalActivity { id category } }
  plan { id status quality { score passes problems { code strand } } objectives { id strand } actions { id status } partners { organisation { code } strands } }`;

const USERS = ['serocu.analyst', 'tvp.investigator', 'surrey.investigator', 'oxon.mash', 'hmrc.officer', 'serocu.auditor'];

describe('a page of threats with its parts prefetched', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp({ seed: 'demo' })));
  afterAll(() => app.stop());

  it.each(USERS)('gives %s the same threats, activities, organisations and plans as node(id) does', async (username) => {
    const page = expectData(await app.gql(username, `{ threats(first: 30) { totalCount edges { node { ${THREAT_PARTS} } } } }`)).threats;
    expect(page.edges.length).toBeGreaterThan(0);
    const ids = page.edges.map((e: any) => e.node.id);
    const one = expectData(await app.gql(username, `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on SocThreat { ${THREAT_PARTS} } } }`, { ids })).nodes;
    expect(page.edges.map((e: any) => e.node)).toEqual(one);
    // Something to compare: plans with their gate for police, partners' own or none.
    if (username.startsWith('serocu')) expect(page.edges.some((e: any) => e.node.plan?.quality?.problems)).toBe(true);
  });

  // SEROCU: BEGIN with the remembered account's check and the page with its count, every part, the
  // audit events with COMMIT (server/src/db/request-db.ts, AccountCache: the account was looked up
  // by the warm-up request).
  // A partner: the same but the audit events (none: no sensitive record), the sharing-agreement
  // rule in its statements (quoted literals around parameters) batched like any other read.
  it.each(['serocu.analyst', 'oxon.mash'])('costs three round trips as %s', async (username) => {
    // The benchmark's page (server/scripts/bench/scenarios.ts); partners' organisations would be a level more.
    // With createdAt, which the compiled list does not write (threats/threat.compiled.ts): the resolvers and their prefetch answer.
    const query = `{ threats(first: 20) { totalCount edges { node { createdAt
      id urn name status priority leadOrganisation { id code name } criminalActivities { id category description }
      plan { id status quality { score problems { code } } } } } } }`;
    expectData(await app.gql(username, query)); // token remembered, schema warm
    const sent = await statementsSentDuring(app, async () => expectData(await app.gql(username, query)));
    expect(sent.roundTrips).toBe(3);
  });

  it('costs three round trips for three levels (activities, their assessments, the assessors) as a SEROCU user', async () => {
    // The benchmark's nested query (server/scripts/bench/scenarios.ts), answered by the resolvers (createdAt, as above).
    const query = `{ threats(first: 20) { edges { node { createdAt
      id name criminalActivities { id category assessment { id riskScore priority status assessedBy { id username } } } } } } }`;
    expectData(await app.gql('serocu.analyst', query));
    const sent = await statementsSentDuring(app, async () => expectData(await app.gql('serocu.analyst', query)).threats.edges);
    expect(sent.result.some((e: any) => e.node.criminalActivities.some((a: any) => a.assessment?.assessedBy))).toBe(true);
    expect(sent.roundTrips).toBe(3);
  });

  // The home page's assessment worklist (client/web/src/features/home/Worklist.tsx): the activities
  // not yet assessed, and every assessment with its assessor and activity, with the page's other parts.
  it('costs three round trips for the assessment worklist: BEGIN with the account check and the page, all its parts, COMMIT', async () => {
    const query = `{ threats(first: 50, filter: { status: [TRIGGER_SUBMITTED, UNDER_ASSESSMENT, ASSESSED, ADOPTED, UNDER_REVIEW] }) { edges { node {
      id urn name unassessedActivities { id category }
      assessmentHistory { id status method assessedBy { id displayName } criminalActivity { id category } } } } } }`;
    expectData(await app.gql('serocu.analyst', query));
    const sent = await statementsSentDuring(app, async () => expectData(await app.gql('serocu.analyst', query)).threats.edges);
    expect(sent.result.some((e: any) => e.node.assessmentHistory.some((a: any) => a.criminalActivity && a.assessedBy))).toBe(true);
    expect(sent.result.some((e: any) => e.node.unassessedActivities.length > 0)).toBe(true);
    expect(sent.roundTrips).toBe(3);
  });

  // Its only field, with a purpose stated: the statement ends the request, COMMIT in its message (graphql/node.ts, LastRead).
  it('node(id) reads a threat with its lead organisation in one statement: one round trip in all', async () => {
    const [first] = expectData(await app.gql('serocu.analyst', '{ threats(first: 1) { edges { node { id leadOrganisation { code } } } } }')).threats.edges;
    const query = `query ($id: ID!) { node(id: $id) { ... on SocThreat { name leadOrganisation { id code name } } } }`;
    const sent = await statementsSentDuring(app, async () => expectData(await app.gql('serocu.analyst', query, { id: first.node.id })).node);
    expect(sent.result.leadOrganisation.code).toBe(first.node.leadOrganisation.code);
    expect(sent.roundTrips).toBe(1);
  });
});
