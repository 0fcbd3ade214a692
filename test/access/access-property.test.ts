import fc from 'fast-check';
import { createTestApp, type TestApp } from '../support/test-app';
import { expectData } from '../support/factories';
import { clear, oracle, plant, threatsOf, toGlobal, TYPES, worldArb } from '../support/access-world';

/**
 * Property test of the access rules: random worlds (organisations of different kinds, users with
 * random roles and clearances, agreements in and out of force, records with random markings and
 * sharing), every read path run through the real GraphQL API for every user, compared with an
 * oracle written plainly from docs/domain.md's rules. No leak, no over-denial. It runs with both
 * enforcement layers, with row-level security alone and with the application policy alone.
 *
 * A "case" is one user's view of one record; the normal suite checks well over 1,000 per layer
 * setting. ACCESS_PROPERTY_WORLDS=400 gives the long run (10,000+ cases). Writes: write-property.test.ts.
 */

const WORLDS = Number(process.env.ACCESS_PROPERTY_WORLDS ?? 40);
/** Each layer setting's time: 15 s a world (10 minutes for the normal suite), or ACCESS_PROPERTY_TIMEOUT_MS on a loaded machine. */
const TIMEOUT_MS = Number(process.env.ACCESS_PROPERTY_TIMEOUT_MS ?? Math.max(600_000, WORLDS * 15_000));

/** What a user sees of this world through every read path: lists with totals, filters, node, nodes, nested parents, aliases and fragments. */
async function seenBy(app: TestApp, username: string, tag: string, globalIds: string[], threatIds: string[]): Promise<{ lists: Set<string>; nodes: Set<string>; totals: number }> {
  const data = expectData(
    await app.gql(
      username,
      `query ($text: String!, $ids: [ID!]!, $first: ID!, $threatIds: [ID!]!) {
        threats(first: 100, filter: { text: $text }) { totalCount edges { node { id } } }
        practices(first: 100, filter: { topics: ["property"] }) { totalCount edges { node { id } } }
        referrals(first: 100, filter: { text: $text }) { totalCount edges { node { id } } }
        plans(first: 100, filter: { threatIds: $threatIds }) { totalCount edges { node { id threat { id } } } }
        disruptions(first: 100, filter: { threatIds: $threatIds }) { totalCount edges { node { id threat { id } } } }
        nominals(first: 100, filter: { text: $text }) { totalCount edges { node { id } } }
        intelligenceReports(first: 100) { totalCount edges { node { id } } }
        analyticalRequests(first: 100) { totalCount edges { node { id } } }
        nodes(ids: $ids) { id ... on FourPPlan { threat { id } } ... on Disruption { threat { id } } }
        one: node(id: $first) { id }
        again: threats(first: 100, filter: { text: $text }) { edges { node { ...Ids } } }
        plansAgain: plans(first: 100, filter: { threatIds: $threatIds }) { edges { node { ...Ids } } }
      }
      fragment Ids on Node { id }`,
      { text: `pw${tag} `, ids: globalIds, first: globalIds[0], threatIds },
    ),
  );
  const listed = [data.threats, data.practices, data.referrals, data.plans, data.disruptions, data.nominals, data.intelligenceReports, data.analyticalRequests];
  const lists = new Set<string>(listed.flatMap((c: any) => c.edges.map((e: any) => e.node.id)));
  const nodes = new Set<string>(data.nodes.filter(Boolean).map((n: any) => n.id));
  // node(id) must agree with nodes(ids) for the first record.
  expect(data.one?.id ?? null).toBe(nodes.has(globalIds[0]) ? globalIds[0] : null);
  // Aliases and fragments give the same answers as the plain fields.
  expect(data.again.edges.map((e: any) => e.node.id)).toEqual(data.threats.edges.map((e: any) => e.node.id));
  expect(data.plansAgain.edges.map((e: any) => e.node.id)).toEqual(data.plans.edges.map((e: any) => e.node.id));
  // A plan or disruption always comes with its threat, which the user can therefore see.
  for (const child of [...data.plans.edges.map((e: any) => e.node), ...data.disruptions.edges.map((e: any) => e.node), ...data.nodes.filter((n: any) => n?.threat)]) {
    expect(nodes.has(child.threat.id) || lists.has(child.threat.id)).toBe(true);
  }
  return { lists, nodes, totals: listed.reduce((sum: number, c: any) => sum + c.totalCount, 0) };
}

describe.each([
  ['both layers', { database: true, application: true }],
  ['row-level security alone', { database: true, application: false }],
  ['the application policy alone', { database: false, application: true }],
])('access rules hold for random worlds, with %s', (_mode, accessLayers) => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp({ accessLayers })));
  afterAll(() => app.stop());

  it('every user sees exactly what the rules allow, through every read path', async () => {
    let cases = 0;
    let granted = 0;
    let worldNo = 0;
    await fc.assert(
      fc.asyncProperty(worldArb, async (world) => {
        const tag = `${Date.now().toString(36)}${worldNo++}`;
        const { usernames, ids } = await plant(app, world, tag);
        try {
          const globalIds = ids.map((id, i) => toGlobal(TYPES[world.records[i].category], id));
          const threatIds = threatsOf(world).map((i) => globalIds[i]);
          for (const [u, username] of usernames.entries()) {
            const expected = new Set(globalIds.filter((_, i) => oracle(world, world.users[u], i)));
            const seen = await seenBy(app, username, tag, globalIds, threatIds);
            expect({ user: world.users[u], lists: [...seen.lists].sort() }).toEqual({ user: world.users[u], lists: [...expected].sort() });
            expect({ user: world.users[u], nodes: [...seen.nodes].sort() }).toEqual({ user: world.users[u], nodes: [...expected].sort() });
            expect(seen.totals).toBe(expected.size);
            cases += globalIds.length;
            granted += expected.size;
          }
        } finally {
          await clear(app, tag);
        }
        // A long run says how far it got as it goes (jest shows console output only at the end).
        if (WORLDS > 40 && worldNo % 10 === 0) process.stderr.write(`access property (${_mode}): ${worldNo} of ${WORLDS} worlds, ${cases} cases\n`);
      }),
      { numRuns: WORLDS, seed: process.env.ACCESS_PROPERTY_SEED ? Number(process.env.ACCESS_PROPERTY_SEED) : undefined },
    );
    // Reported for the long run's record; the normal suite must check at least 1,000.
    console.log(`access property (${_mode}): ${WORLDS} worlds, ${cases} user-record cases, ${granted} granted`);
    expect(cases).toBeGreaterThanOrEqual(WORLDS >= 40 ? 1000 : 0);
    // Not vacuous: the worlds both grant and deny, in fair measure.
    expect(granted).toBeGreaterThan(cases * 0.1);
    expect(granted).toBeLessThan(cases * 0.9);
  }, TIMEOUT_MS);
});
