import { expectData } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';
import { LiveSubscription } from '../support/live-client';
import { purposeFor } from '../support/purposes';
import type { AccessLayers } from '../../server/src/access/layers';

/**
 * Deconfliction's hand-written tables (deconfliction_identifier, deconfliction_interest) are not
 * in the access catalogue, so the property test's random worlds do not reach them: this proves,
 * with both layers and with each alone, that no caller reads another organisation's identifiers
 * or interests, nor their own organisation's on a record they may not read, through any path:
 * node(id) and nodes(ids), the record's own field on a record they do read, lists, the header
 * search, history, the interest list, live events, and removal (docs/access.md, "Deconfliction").
 */

const IDENTIFIERS = `identifiers { id kind value normalisedValue checkedAt matches { contact } }`;
const PERSON = `mutation ($input: CreateNominalInput!) { createNominal(input: $input) { id version ${IDENTIFIERS} } }`;
const RECORD = `mutation ($input: RecordIdentifierInput!) { recordIdentifier(input: $input) { identifier { id } } }`;
const CHECK = `mutation ($input: IdentifierInput!) { checkIdentifier(input: $input) { matched } }`;
const EVENTS = `subscription ($after: String) { events(after: $after) { type recordType recordId
  record { id ... on DeconflictionInterest { value kind nominal { id } } ... on Nominal { name ${IDENTIFIERS} } } } }`;

/** Those who must see none of Thames Valley's: other forces, the regional unit, a partner agency. */
const OUTSIDERS = ['surrey.investigator', 'hiow.analyst', 'serocu.analyst', 'oxon.mash'];

describe.each([
  ['both layers', { database: true, application: true }],
  ['row-level security alone', { database: true, application: false }],
  ['the application policy alone', { database: false, application: true }],
])('deconfliction identifiers and interests, with %s', (_name, accessLayers: AccessLayers) => {
  let app: TestApp;
  let sql: (text: string, params?: unknown[]) => Promise<any[]>;
  beforeAll(async () => {
    app = await createTestApp({ accessLayers });
    sql = (text, params = []) => app.app.orm.em.getConnection().execute(text, params);
    await sql(`update app_user set clearance = 'SECRET' where username = 'tvp.investigator'`);
  });
  afterAll(() => app.stop());

  const person = async (as: string, input: Record<string, unknown>, marking: string, sharing: string) =>
    expectData(await app.gql(as, PERSON, { input: { ...input, access: { protectiveMarking: marking, sharing } } })).createNominal;
  const subscribe = async (as: string) => {
    const after = expectData(await app.gql(as, '{ eventCursor }')).eventCursor;
    return new LiveSubscription(app.url, await app.tokenFor(as), EVENTS, { after }, purposeFor(as));
  };

  it('no one reads them but the holder\'s users who may read the record, through any path', async () => {
    const watchers = new Map<string, LiveSubscription>();
    for (const u of [...OUTSIDERS, 'tvp.safeguarding', 'tvp.investigator']) watchers.set(u, await subscribe(u));
    try {
      // Thames Valley holds a SECRET person no one else may read, and a person the region may read.
      const hidden = await person('tvp.investigator', { name: 'Thaddeus Vellacott', aliases: ['Tad Vellacott'], dateOfBirth: '1983-10-06' }, 'SECRET', 'OWNER_ONLY');
      const open = await person('tvp.investigator', { name: 'Morwenna Quaile', dateOfBirth: '1994-04-19' }, 'OFFICIAL', 'REGIONAL_LAW_ENFORCEMENT');
      expectData(await app.gql('tvp.investigator', RECORD, { input: { recordId: hidden.id, kind: 'VEHICLE', value: 'ZZ23 VLC' } }));
      expectData(await app.gql('tvp.investigator', RECORD, { input: { recordId: open.id, kind: 'PHONE', value: '07700 900992' } }));
      // Other forces check, and each hits: Thames Valley now has interests in both.
      expect(expectData(await app.gql('surrey.investigator', CHECK, { input: { kind: 'VEHICLE', value: 'zz23vlc' } })).checkIdentifier.matched).toBe(true);
      expect(expectData(await app.gql('hiow.analyst', CHECK, { input: { kind: 'PHONE', value: '+44 7700 900992' } })).checkIdentifier.matched).toBe(true);
      expect(expectData(await app.gql('hiow.analyst', CHECK, { input: { kind: 'PERSON', value: 'Tad Vellacott', dateOfBirth: '1983-10-06' } })).checkIdentifier.matched).toBe(true);

      const tvp = expectData(await app.gql('tvp.investigator', `query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Nominal { ${IDENTIFIERS} } } deconflictionInterests { id value nominal { id } } }`, { ids: [hidden.id, open.id] }));
      const identifierIds: string[] = tvp.nodes.flatMap((n: any) => n.identifiers.map((i: any) => i.id));
      const interestIds: string[] = tvp.deconflictionInterests.map((d: any) => d.id);
      // The holder sees them all (a positive control for everything below).
      expect(identifierIds).toHaveLength(5);
      // (the alias checked may also be a possible match for the name: one interest each)
      expect(interestIds.length).toBeGreaterThanOrEqual(3);
      const holder = watchers.get('tvp.investigator')!;
      await holder.until(() => holder.received.filter((m) => m.events.recordType === 'DeconflictionInterest').length === interestIds.length, 'the holder told of each interest');

      const hiddenFields = ['Thaddeus', 'Vellacott', '1983-10-06', 'ZZ23 VLC', 'ZZ23VLC', ...identifierIds, ...interestIds, hidden.id];
      // Of the readable person: their identifiers, not their name (which a reader of the person sees).
      const ofOpen = ['07700 900992', '07700900992'];
      const probe = async (as: string) => {
        const answers = [
          await app.gql(as, `query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Nominal { name ${IDENTIFIERS} } ... on DeconflictionInterest { value } } }`, { ids: [hidden.id, open.id, ...interestIds, ...identifierIds] }),
          await app.gql(as, `query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Nominal { history { part changes { field from to } } } } }`, { ids: [hidden.id, open.id] }),
          ...(await Promise.all([...interestIds, ...identifierIds].map((id) => app.gql(as, `query ($id: ID!) { node(id: $id) { id ... on DeconflictionInterest { value kind } } }`, { id })))),
          await app.gql(as, `{ nominals(first: 10, filter: { text: "Quaile" }) { edges { node { id ${IDENTIFIERS} } } } }`),
          await app.gql(as, `{ deconflictionInterests(first: 100) { id value nominal { id } } }`),
          ...(await Promise.all(['Vellacott', '07700 900992', 'ZZ23VLC', 'Quaile'].map((text) => app.gql(as, `query ($text: String!) { search(text: $text, first: 5) { people { edges { node { id name ${IDENTIFIERS} } } } } }`, { text })))),
          ...(await Promise.all(identifierIds.map((id) => app.gql(as, `mutation ($id: ID!) { removeIdentifier(id: $id) { __typename } }`, { id })))),
        ];
        return answers;
      };

      for (const as of OUTSIDERS) {
        const answers = await probe(as);
        const everything = JSON.stringify(answers);
        expect({ as, seen: [...hiddenFields, ...ofOpen].filter((field) => everything.includes(field)) }).toEqual({ as, seen: [] });
        // Every read answered (an error would make the search for leaks vacuous).
        expect({ as, errors: answers.slice(0, -identifierIds.length).flatMap((a) => a.errors ?? []) }).toEqual({ as, errors: [] });
        // The readable person is read, with no identifiers: they are Thames Valley's.
        const read = answers[0].data?.nodes.filter(Boolean).map((n: any) => ({ id: n.id, identifiers: n.identifiers }));
        if (as !== 'oxon.mash') expect({ as, read }).toEqual({ as, read: [{ id: open.id, identifiers: [] }] });
        // Removal is refused as for an identifier that does not exist, whatever the caller's role.
        const removals = answers.slice(-identifierIds.length);
        expect({ as, codes: removals.map((r) => r.errors?.[0]?.extensions?.code) }).toEqual({ as, codes: identifierIds.map(() => (as === 'oxon.mash' ? 'FORBIDDEN' : 'NOT_FOUND')) });
      }

      // Thames Valley's own safeguarding practitioner, cleared below SECRET: nothing of the hidden person.
      const own = JSON.stringify(await probe('tvp.safeguarding'));
      expect(['Thaddeus', 'Vellacott', '1983-10-06', 'ZZ23 VLC', 'ZZ23VLC', hidden.id].filter((field) => own.includes(field))).toEqual([]);

      // Live: a change each watcher sees, made last, so every event before it has reached them.
      const marker = await person('tvp.investigator', { name: 'Everyone Sees This' }, 'OFFICIAL', 'REGIONAL_LAW_ENFORCEMENT');
      // (a partner, and a safeguarding practitioner, may not be shared it: their streams are checked without it)
      for (const as of ['surrey.investigator', 'hiow.analyst', 'serocu.analyst']) {
        const watcher = watchers.get(as)!;
        await watcher.until(() => watcher.received.some((m) => m.events.recordId === marker.id), `${as} hears of the marker`);
      }
      for (const as of [...OUTSIDERS, 'tvp.safeguarding']) {
        const heard = JSON.stringify([watchers.get(as)!.messages, watchers.get(as)!.errors]);
        const forbidden = as === 'tvp.safeguarding' ? ['Thaddeus', 'Vellacott', 'ZZ23', hidden.id] : [...hiddenFields, ...ofOpen];
        expect({ as, heard: forbidden.filter((field) => heard.includes(field)) }).toEqual({ as, heard: [] });
        if (as !== 'tvp.safeguarding') expect(watchers.get(as)!.received.filter((m) => m.events.recordType === 'DeconflictionInterest')).toEqual([]);
      }
      // Nothing was removed by anyone's attempt.
      expect(await sql(`select count(*)::int as n from deconfliction_identifier where holder_organisation_id = (select id from organisation where code = 'TVP') and (nominal_id = ? or nominal_id = ?)`, [
        Buffer.from(hidden.id, 'base64url').toString().split(':')[1],
        Buffer.from(open.id, 'base64url').toString().split(':')[1],
      ])).toEqual([{ n: 5 }]);
    } finally {
      for (const w of watchers.values()) await w.close();
    }
  });
});
