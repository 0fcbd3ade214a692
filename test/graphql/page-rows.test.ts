import { createTestApp, type TestApp } from '../support/test-app';
import { expectData } from '../support/factories';
import { statementsSentDuring } from '../support/statements';

/**
 * A page's rows are read by their keys, which the list's filter (the application's access policy
 * with it) chose in the same statement: the filter is asked once (graphql/connection.ts,
 * rowsOfPage). Row-level security still judges every row read, and the access property tests hold
 * what each user sees to the rules.
 */
let app: TestApp;
beforeAll(async () => (app = await createTestApp()));
afterAll(() => app.stop());

/** The page statement of what `run` sent: the one that reads rows by the page's keys. */
async function pageStatement(run: () => Promise<unknown>): Promise<string> {
  await run(); // statements prepared, account remembered
  const sent = await statementsSentDuring(app, run);
  const pages = sent.sql.filter((text) => text.includes('"__key"'));
  expect(pages).toHaveLength(1);
  return pages[0];
}

const occurrences = (text: string, term: string) => text.split(term).length - 1;

it('asks a partner’s access policy once in a page of people, where the page’s keys are chosen', async () => {
  const people = async () => expectData(await app.gql('oxon.mash', `query People { nominals(first: 5) { edges { node { id name } } } }`)).nominals;
  const statement = await pageStatement(people);
  // The partner reads others' people only as subjects of referrals it is party to.
  expect(occurrences(statement, 'soc_caller_referral_parties')).toBe(1);
  // The page is the first five of the list, in its order, however its rows were read.
  const all = await app.gql('oxon.mash', `query AllPeople { nominals(first: 100) { edges { node { id name } } } }`);
  expect((await people()).edges).toEqual(expectData(all).nominals.edges.slice(0, 5));
});

it('keeps the filter where a list joins another table (its rows by key could be more than one)', async () => {
  const users = async () => expectData(await app.gql('serocu.admin', `query Users { users(first: 5) { edges { node { id username } } } }`)).users;
  const statement = await pageStatement(users);
  // The administrator's organisations, asked where the keys are chosen and again for the rows.
  expect(occurrences(statement, 'not "u"."username" like')).toBe(2);
});
