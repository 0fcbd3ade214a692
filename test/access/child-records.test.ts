import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, getNamedType, getNullableType, isEnumType, isListType, isObjectType, type GraphQLEnumType, type GraphQLObjectType } from 'graphql';
import { createTestApp, type GqlOptions, type TestApp } from '../support/test-app';
import { approvedAssessment, createThreat, expectData, moveThreat, orgId } from '../support/factories';
import { sharingAgreement } from '../support/access-factories';
import { nodeFetchers } from '../../server/src/modules';
import { PART_KINDS, partShownIn, rowProperty } from '../../server/src/access/catalogue';
import type { ChildFetcher } from '../../server/src/graphql/node';

/**
 * Child records (parts of a shared record, with no sharing of their own) read by ID get exactly
 * their parent's treatment: its visibility, its redaction of the field that lists them, its
 * purpose rule and an audit READ of the parent.
 */

/**
 * Node types that are records in their own right (SharedRecord types are too); every other Node
 * type is a child. A deconfliction interest has its own hand-written rule (the holder's users who
 * may read the record it concerns: docs/access.md, "Deconfliction"; test/modules/deconfliction.test.ts).
 */
const ROOT_TYPES = new Set(['Organisation', 'User', 'InformationSharingAgreement', 'DeconflictionInterest']);

describe('every Node type', () => {
  it('is a root record or a declared child with a parent, so a new child type cannot skip the parent\'s treatment', () => {
    const schema = buildSchema(readFileSync(join(__dirname, '../../schema/schema.graphql'), 'utf8'));
    const nodeTypes = Object.values(schema.getTypeMap()).filter((t) => isObjectType(t) && t.getInterfaces().some((i) => i.name === 'Node'));
    expect(nodeTypes.length).toBeGreaterThan(10);
    const untreated = nodeTypes
      .filter((t) => isObjectType(t) && !t.getInterfaces().some((i) => i.name === 'SharedRecord') && !ROOT_TYPES.has(t.name))
      .filter((t) => typeof (nodeFetchers[t.name] as { childOf?: string } | undefined)?.childOf !== 'string')
      .map((t) => t.name);
    expect(untreated).toEqual([]);
  });
});

describe("the catalogue's part listings (listedIn) and node(id)", () => {
  const schema = buildSchema(readFileSync(join(__dirname, '../../schema/schema.graphql'), 'utf8'));
  const childFetchers = Object.entries(nodeFetchers).flatMap(([type, fetcher]) =>
    typeof (fetcher as Partial<ChildFetcher>).part === 'string' ? [{ type, part: (fetcher as ChildFetcher).part, childOf: (fetcher as ChildFetcher).childOf }] : [],
  );

  it('every part its record lists has a node fetcher reading that listing, under its own type, and every child fetcher is for such a part', () => {
    const listed = PART_KINDS.filter((p) => p.listedIn).map((p) => p.typename);
    expect(listed.length).toBeGreaterThanOrEqual(9);
    expect(childFetchers.map((c) => c.type).sort()).toEqual([...listed].sort());
    for (const { type, part, childOf } of childFetchers) expect({ type, part, childOf }).toEqual({ type, part: type, childOf: partShownIn(type).parentType });
    // A part whose record lists it is also found by the seesPart of inputs naming it: the same listing, by table.
    for (const p of PART_KINDS.filter((k) => k.listedIn)) expect(partShownIn(p.table)).toBe(partShownIn(p.typename));
  });

  it('lists each part in fields its record has, which hold that part, by kinds its type has', () => {
    const problems: string[] = [];
    for (const part of PART_KINDS.filter((p) => p.listedIn)) {
      const { parentType, listing } = partShownIn(part.typename);
      const parent = schema.getType(parentType);
      if (!isObjectType(parent)) {
        problems.push(`${parentType} is not an object type`);
        continue;
      }
      for (const { field, kind } of listing.fields) {
        const type = parent.getFields()[field]?.type;
        if (!type || !isListType(getNullableType(type)) || getNamedType(type).name !== part.typename) problems.push(`${parentType}.${field} is not a list of ${part.typename}`);
        if (kind) {
          const kindType = (schema.getType(part.typename) as GraphQLObjectType).getFields()[rowProperty(listing.kindColumn!)]?.type;
          const values = kindType && isEnumType(getNamedType(kindType)) ? (getNamedType(kindType) as GraphQLEnumType).getValues().map((v) => v.value) : [];
          if (!values.includes(kind)) problems.push(`${part.typename} has no kind ${kind}`);
        }
      }
      if (listing.fields.some((f) => f.kind)) {
        // Every kind is listed somewhere: a part of a kind no field lists would be missing by ID.
        const kindType = getNamedType((schema.getType(part.typename) as GraphQLObjectType).getFields()[rowProperty(listing.kindColumn!)]!.type) as GraphQLEnumType;
        const unlisted = kindType.getValues().map((v) => v.value).filter((k) => !listing.fields.some((f) => f.kind === k));
        if (unlisted.length) problems.push(`${part.typename} of kinds ${unlisted.join(', ')} is listed nowhere`);
      }
    }
    expect(problems).toEqual([]);
  });
});

let app: TestApp;
const sql = (text: string, params: unknown[] = []) => app.app.orm.em.getConnection().execute(text, params);
const dbId = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

async function audited(as: string, query: string, variables: Record<string, unknown>, options: GqlOptions = {}) {
  const requestId = randomUUID();
  const result = await app.gql(as, query, variables, { ...options, headers: { 'x-request-id': requestId } });
  const events = await sql('select action, record_type, record_ids from audit_event where request_id = ? order by id', [requestId]);
  return { result, events };
}

let threat: any;
let sensitive: any;
let sensitiveActivityId: string;
let activityId: string;
let assessmentId: string;
let membershipId: string;
let gapId: string;
let theirActionId: string;
let ownActionId: string;

beforeAll(async () => {
  app = await createTestApp();
  await sharingAgreement(app, { parties: ['TVP', 'OXON_CS'], maxMarking: 'OFFICIAL' });
  threat = await createThreat(app, 'tvp.investigator', { name: 'Operation Offspring', access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' } });
  sensitive = await createThreat(app, 'tvp.investigator', { name: 'Operation Sensitive Offspring', access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT' } });
  sensitiveActivityId = expectData(await app.gql('tvp.investigator', `query ($id: ID!) { node(id: $id) { ... on SocThreat { criminalActivities { id } } } }`, { id: sensitive.id })).node.criminalActivities[0].id;
  threat = await moveThreat(app, 'tvp.investigator', threat, 'UNDER_ASSESSMENT');
  assessmentId = (await approvedAssessment(app, threat.id, { level: 2 })).id;
  threat = await moveThreat(app, 'tvp.investigator', threat, 'ASSESSED');
  threat = await moveThreat(app, 'tvp.investigator', threat, 'ADOPTED');
  const nominal = expectData(await app.gql('tvp.investigator', `mutation ($input: CreateNominalInput!) { createNominal(input: $input) { id } }`, {
    input: { name: 'Dale Offspring', aliases: ['Dodger'], access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' } },
  })).createNominal;
  const withMember = expectData(await app.gql('tvp.investigator', `mutation ($input: AddMemberInput!) { addMember(input: $input) { version members { id } criminalActivities { id } } }`, {
    input: { threatId: threat.id, expectedVersion: threat.version, nominalId: nominal.id, role: 'ENABLER', from: '2025-06-01' },
  })).addMember;
  membershipId = withMember.members[0].id;
  activityId = withMember.criminalActivities[0].id;

  const plan = expectData(await app.gql('tvp.investigator', `mutation ($input: CreatePlanInput!) { createPlan(input: $input) { id version } }`, {
    input: { threatId: threat.id, access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' } },
  })).createPlan;
  const ADD = `mutation ($input: AddActionInput!) { addAction(input: $input) { version actions { id ownerOrganisation { code } } } }`;
  const action = (owner: string, description: string) => ({ strand: 'PREVENT', tactic: 'BEHAVIOUR', description, ownerOrganisationId: owner, addressesActivityIds: [] });
  const first = expectData(await app.gql('tvp.investigator', ADD, { input: { planId: plan.id, expectedVersion: plan.version, action: action(await orgId(app, 'OXON_CS'), 'Diversion sessions') } })).addAction;
  const second = expectData(await app.gql('tvp.investigator', ADD, { input: { planId: plan.id, expectedVersion: first.version, action: action(await orgId(app, 'TVP'), 'Covert deployment') } })).addAction;
  ownActionId = second.actions.find((a: any) => a.ownerOrganisation.code === 'OXON_CS').id;
  theirActionId = second.actions.find((a: any) => a.ownerOrganisation.code === 'TVP').id;
  const withGap = expectData(await app.gql('tvp.investigator', `mutation ($input: AddPlanEntryInput!) { addPlanEntry(input: $input) { intelligenceGaps { id } } }`, {
    input: { planId: plan.id, expectedVersion: second.version, kind: 'INTELLIGENCE_GAP', text: 'Who supplies the line?' },
  })).addPlanEntry;
  gapId = withGap.intelligenceGaps[0].id;
});
afterAll(() => app.stop());

const BY_ID = `query ChildById($id: ID!) { node(id: $id) { id ... on CriminalActivity { description withheld { field } } } }`;

describe("a partner's child records by ID", () => {
  it('what the parent withholds (assessments, members, intelligence gaps, other organisations\' actions) is missing by ID too, as for a police reader it is there', async () => {
    for (const id of [assessmentId, membershipId, gapId, theirActionId]) {
      expect(expectData(await app.gql('oxon.mash', BY_ID, { id })).node).toBeNull();
      expect(expectData(await app.gql('surrey.investigator', BY_ID, { id })).node).toMatchObject({ id });
    }
    expect(expectData(await app.gql('oxon.mash', BY_ID, { id: ownActionId })).node).toMatchObject({ id: ownActionId });
  });

  it('with the redaction it has through the parent, and no READ (the parent is not sensitive, so neither is its child)', async () => {
    const byId = await audited('oxon.mash', BY_ID, { id: activityId });
    const through = expectData(await app.gql('oxon.mash', `query ($id: ID!) { node(id: $id) { ... on SocThreat { criminalActivities { id description withheld { field } } } } }`, { id: threat.id })).node;
    expect(through.criminalActivities[0].description).toBeNull();
    expect(expectData(byId.result).node).toEqual(through.criminalActivities[0]);
    expect(byId.events).toEqual([]);
  });
});

describe('a child of a sensitive record by ID', () => {
  it('needs a stated purpose, as its parent does, refused the same way and audited as DENIED on the parent', async () => {
    const byId = await audited('surrey.investigator', BY_ID, { id: sensitiveActivityId }, { purpose: null });
    const throughParent = await app.gql('surrey.investigator', `query ($id: ID!) { node(id: $id) { ... on SocThreat { criminalActivities { id } } } }`, { id: sensitive.id }, { purpose: null });
    expect(byId.result.errors?.[0].extensions?.code).toBe('PURPOSE_REQUIRED');
    expect(byId.result.errors![0].message).toBe(throughParent.errors![0].message);
    expect(byId.events).toEqual([expect.objectContaining({ action: 'DENIED', record_type: 'SocThreat', record_ids: [dbId(sensitive.id)] })]);
  });

  it('with a purpose, is shown and writes a READ of the parent, as reading the parent does', async () => {
    const byId = await audited('surrey.investigator', BY_ID, { id: sensitiveActivityId });
    const through = await audited('surrey.investigator', `query ($id: ID!) { node(id: $id) { ... on SocThreat { criminalActivities { id } } } }`, { id: sensitive.id });
    expect(expectData(byId.result).node).toMatchObject({ id: sensitiveActivityId });
    expect(byId.events).toEqual([expect.objectContaining({ action: 'READ', record_type: 'SocThreat', record_ids: [dbId(sensitive.id)] })]);
    expect(byId.events).toEqual(through.events);
  });
});
