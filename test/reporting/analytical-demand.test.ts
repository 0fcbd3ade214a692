import { spawn } from 'node:child_process';
import path from 'node:path';
import { createApiKey } from '../../server/src/auth/api-keys';
import { createThreat, expectData, userId } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Analytical demand against capacity (issue 19): the figures the inspection's first finding needs,
 * through the API and the report command, against figures known from the requests made.
 */

const CLI = path.resolve(__dirname, '../../dist/server/scripts/report/main.js');
const STATS = `query ($from: LocalDate, $to: LocalDate) { analyticalRequestStats(filter: { from: $from, to: $to }) {
  totals { requested delivered deliveredOnTime declined declinedForLackOfCapacity open overdue }
  months { month requested delivered deliveredOnTime declined declinedForLackOfCapacity open overdue }
  analystWorkload { analyst { username } waiting inProgress delivered deliveredOnTime overdue } } }`;
const CREATE = `mutation ($input: CreateAnalyticalRequestInput!) { createAnalyticalRequest(input: $input) { id reference } }`;
const move = (name: string, type = 'AnalyticalRequestStepInput') => `mutation ($input: ${type}!) { ${name}(input: $input) { version } }`;

let app: TestApp;
let sql: (text: string, params?: unknown[]) => Promise<any[]>;
let thisMonth: string;
let lastMonth: string;

async function requested(as: string, threatId: string, dueOn: string): Promise<{ id: string; reference: string }> {
  return expectData(await app.gql(as, CREATE, { input: { question: 'Map the line.', productType: 'PROFILE', priority: 'MEDIUM', dueOn, threatId, protectiveMarking: 'OFFICIAL_SENSITIVE' } }))
    .createAnalyticalRequest;
}
const step = async (as: string, mutation: string, input: Record<string, unknown>) => expectData(await app.gql(as, mutation, { input }));

beforeAll(async () => {
  app = await createTestApp();
  sql = (text, params = []) => app.app.orm.em.getConnection().execute(text, params);
  const [{ today, this_month, last_month }] = await sql(
    `select current_date::text as today, to_char(current_date, 'YYYY-MM') as this_month, to_char(current_date - interval '1 month', 'YYYY-MM') as last_month`,
  );
  [thisMonth, lastMonth] = [this_month, last_month];
  const hiowThreat = (await createThreat(app, 'hiow.analyst', { name: 'Operation Plover' })).id;
  const surreyThreat = (await createThreat(app, 'surrey.investigator', { name: 'Operation Teal' })).id;
  const analyst = await userId(app, 'serocu.analyst');
  // Hampshire: one delivered on time, two declined (one for lack of capacity), one open and overdue.
  const onTime = await requested('hiow.analyst', hiowThreat, today);
  await step('serocu.sro', move('acceptAnalyticalRequest'), { id: onTime.id, expectedVersion: 1 });
  await step('serocu.sro', move('assignAnalyticalRequest', 'AssignAnalyticalRequestInput'), { id: onTime.id, expectedVersion: 2, analystId: analyst });
  await step('serocu.analyst', move('startAnalyticalRequest'), { id: onTime.id, expectedVersion: 3 });
  await step('serocu.analyst', move('deliverAnalyticalRequest'), { id: onTime.id, expectedVersion: 4 });
  const capacity = await requested('hiow.analyst', hiowThreat, today);
  await step('serocu.sro', move('declineAnalyticalRequest', 'DeclineAnalyticalRequestInput'), { id: capacity.id, expectedVersion: 1, reason: 'LACK_OF_CAPACITY', explanation: 'No analyst free.' });
  const scope = await requested('hiow.analyst', hiowThreat, today);
  await step('serocu.sro', move('declineAnalyticalRequest', 'DeclineAnalyticalRequestInput'), { id: scope.id, expectedVersion: 1, reason: 'OUT_OF_SCOPE', explanation: 'A force matter.' });
  const overdue = await requested('hiow.analyst', hiowThreat, today);
  await step('serocu.sro', move('acceptAnalyticalRequest'), { id: overdue.id, expectedVersion: 1 });
  await step('serocu.sro', move('assignAnalyticalRequest', 'AssignAnalyticalRequestInput'), { id: overdue.id, expectedVersion: 2, analystId: analyst });
  // Surrey: one declined for lack of capacity, made last month.
  const surrey = await requested('surrey.investigator', surreyThreat, today);
  await step('serocu.sro', move('declineAnalyticalRequest', 'DeclineAnalyticalRequestInput'), { id: surrey.id, expectedVersion: 1, reason: 'LACK_OF_CAPACITY', explanation: 'No analyst free.' });
  // Dates only the database can move: the overdue one fell due last week; Surrey's was made last month.
  await sql(`update analytical_request set due_on = current_date - 7 where reference = ?`, [overdue.reference]);
  await sql(`update analytical_request set created_at = created_at - interval '1 month' where reference = ?`, [surrey.reference]);
}, 120_000);
afterAll(() => app.stop());

const stats = async (as: string, variables: Record<string, unknown> = {}) => expectData(await app.gql(as, STATS, variables)).analyticalRequestStats;

describe('analytical demand against capacity', () => {
  it("counts the region's requests for the regional unit: by month, on time, declined for lack of capacity, and each analyst's workload", async () => {
    const figures = await stats('serocu.sro');
    expect(figures.totals).toEqual({ requested: 5, delivered: 1, deliveredOnTime: 1, declined: 3, declinedForLackOfCapacity: 2, open: 1, overdue: 1 });
    expect(figures.months).toEqual([
      { month: lastMonth, requested: 1, delivered: 0, deliveredOnTime: 0, declined: 1, declinedForLackOfCapacity: 1, open: 0, overdue: 0 },
      { month: thisMonth, requested: 4, delivered: 1, deliveredOnTime: 1, declined: 2, declinedForLackOfCapacity: 1, open: 1, overdue: 1 },
    ]);
    expect(figures.analystWorkload).toEqual([{ analyst: { username: 'serocu.analyst' }, waiting: 1, inProgress: 0, delivered: 1, deliveredOnTime: 1, overdue: 1 }]);
  });

  it("counts only a force's own requests for the force, and nothing for an organisation that reads none", async () => {
    expect((await stats('hiow.analyst')).totals).toEqual({ requested: 4, delivered: 1, deliveredOnTime: 1, declined: 2, declinedForLackOfCapacity: 1, open: 1, overdue: 1 });
    expect((await stats('sussex.investigator')).totals.requested).toBe(0);
  });

  it('narrows to requests made within the period, and refuses a period that ends before it starts, naming the field', async () => {
    const [{ first_of_month }] = await sql(`select date_trunc('month', current_date)::date::text as first_of_month`);
    expect((await stats('serocu.sro', { from: first_of_month })).totals.requested).toBe(4);
    const refused = await app.gql('serocu.sro', STATS, { from: '2026-05-01', to: '2026-04-01' });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'filter.to', message: 'must be on or after filter.from' }] });
  });

  it('is a report document: npm run report -- analytical-demand gives the same figures to a SEROCU key', async () => {
    const key = (await createApiKey(app.app.orm.em.getConnection().getKnex(), { organisationCode: 'SEROCU', name: 'demand' })).key;
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, 'analytical-demand', '--format', 'json', '--url', app.url, '--key', key], {
        env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let [stdout, stderr] = ['', ''];
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const sections = JSON.parse(result.stdout);
    const totals = Object.entries(sections).find(([name]) => name.endsWith('totals'))![1] as Record<string, unknown>[];
    expect(totals).toEqual([{ requested: 5, delivered: 1, deliveredOnTime: 1, declined: 3, declinedForLackOfCapacity: 2, open: 1, overdue: 1 }]);
    const list = await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, [CLI, 'list'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (c) => (out += c));
      child.on('close', () => resolve(out));
    });
    expect(list).toMatch(/^analytical-demand\s+Analytical demand against capacity/m);
  });
});
