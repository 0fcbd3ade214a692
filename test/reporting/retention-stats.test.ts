import { spawn } from 'node:child_process';
import path from 'node:path';
import { createApiKey } from '../../server/src/auth/api-keys';
import { addYears } from '../../server/src/modules/retention/retention-periods';
import { createThreat, expectData, orgId } from '../support/factories';
import { createReferral } from '../support/referral-factories';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Retention reviews in figures (issue 19): retentionStats and the retention-reviews report
 * document, against figures known from the records made, reviewed and disposed of here; and no
 * organisation learns another's reviews or tombstones through any path, with both access layers
 * and with either alone.
 */

const CLI = path.resolve(__dirname, '../../dist/server/scripts/report/main.js');
const STATS = `query ($from: LocalDate, $to: LocalDate) { retentionStats(filter: { from: $from, to: $to }) {
  rows { organisation { code } kind overdue dueInPeriod retained disposed tombstones } } }`;
const RETAIN = `mutation ($input: RetainRecordInput!) { retainRecord(input: $input) { id } }`;
const DISPOSE = `mutation ($input: DisposeRecordInput!) { disposeRecord(input: $input) { recordId } }`;
const dbId = (globalId: string) => Buffer.from(globalId, 'base64url').toString().split(':')[1];

describe.each([
  ['both layers', { database: true, application: true }],
  ['row-level security alone', { database: true, application: false }],
  ['the application policy alone', { database: false, application: true }],
])('retention figures with %s', (_mode, accessLayers) => {
  let app: TestApp;
  let sql: (text: string, params?: unknown[]) => Promise<any[]>;
  let today: string;
  const ids: Record<string, string> = {};

  const person = async (as: string, name: string) =>
    expectData(await app.gql(as, `mutation ($input: CreateNominalInput!) { createNominal(input: $input) { id } }`, {
      input: { name, access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT' } },
    })).createNominal.id as string;
  const dueOn = (table: string, id: string, date: string) => sql(`update ${table} set next_review_on = ? where id = ?`, [date, dbId(id)]);
  const stats = async (as: string, variables: Record<string, unknown> = {}) => expectData(await app.gql(as, STATS, variables)).retentionStats.rows;

  beforeAll(async () => {
    app = await createTestApp({ accessLayers });
    sql = (text, params = []) => app.app.orm.em.getConnection().execute(text, params);
    [{ today }] = await sql(`select current_date::text as today`);
    // SEROCU: two people overdue (one then kept), one due next month, one disposed of; a threat
    // overdue, then disposed of (with its plan); a referral due next month.
    ids.overdue = await person('serocu.lro', 'Figures Overdue');
    ids.kept = await person('serocu.lro', 'Figures Kept');
    ids.soon = await person('serocu.lro', 'Figures Soon');
    ids.gone = await person('serocu.lro', 'Figures Gone');
    ids.threat = (await createThreat(app, 'serocu.analyst', { name: 'Operation Figures' })).id;
    ids.referral = (await createReferral(app, {}, 'serocu.lro')).id;
    await dueOn('nominal', ids.overdue, '2026-01-01');
    await dueOn('nominal', ids.kept, '2026-01-02');
    await sql(`update nominal set next_review_on = current_date + 20 where id = ?`, [dbId(ids.soon)]);
    await dueOn('nominal', ids.gone, '2026-01-03');
    await dueOn('soc_threat', ids.threat, '2026-01-04');
    await sql(`insert into fourp_plan (threat_id, owning_organisation_id, protective_marking, sharing, created_by, updated_by)
      select id, owning_organisation_id, 'OFFICIAL', 'REGIONAL_LAW_ENFORCEMENT', created_by, created_by from soc_threat where id = ?`, [dbId(ids.threat)]);
    expectData(await app.gql('serocu.lro', RETAIN, { input: { id: ids.kept, reason: 'Still needed for an investigation.', nextReviewOn: addYears(today, 1) } }));
    expectData(await app.gql('serocu.lro', DISPOSE, { input: { id: ids.gone, reason: 'No longer needed.' } }));
    expectData(await app.gql('serocu.lro', DISPOSE, { input: { id: ids.threat, reason: 'Group dismantled.' } }));
    // TVP's own person, overdue: TVP's figure, never SEROCU's (though SEROCU may read the person).
    ids.tvp = await person('tvp.investigator', 'Figures Theirs');
    await dueOn('nominal', ids.tvp, '2026-01-05');
  }, 180_000);
  afterAll(() => app.stop());

  it("counts the caller's organisation's records by kind: overdue, due in the period, kept and disposed of in it, and tombstones", async () => {
    const rows = await stats('serocu.lro', { from: today, to: addYears(today, 1) });
    const serocu = rows.filter((r: any) => r.organisation.code === 'SEROCU');
    expect(rows.filter((r: any) => r.organisation.code !== 'SEROCU')).toEqual([]);
    const byKind = Object.fromEntries(serocu.map((r: any) => [r.kind, r]));
    // The person due in 20 days falls in the period, and so does the kept one's next review (in a year).
    expect(byKind.PERSON).toEqual({ organisation: { code: 'SEROCU' }, kind: 'PERSON', overdue: 1, dueInPeriod: 2, retained: 1, disposed: 1, tombstones: 1 });
    expect(byKind.THREAT).toMatchObject({ overdue: 0, retained: 0, disposed: 1, tombstones: 1 });
    expect(byKind.FOUR_P_PLAN).toMatchObject({ overdue: 0, dueInPeriod: 0, retained: 0, disposed: 1, tombstones: 1 });
    // The referral is first due ten years on (a child): outside this period.
    expect(byKind.SAFEGUARDING_REFERRAL).toBeUndefined();
    expect((await stats('serocu.lro', { to: addYears(today, 11) })).find((r: any) => r.kind === 'SAFEGUARDING_REFERRAL')).toMatchObject({ dueInPeriod: 1, overdue: 0 });

    // A period before today: nothing kept or disposed of in it, though the tombstones stay counted.
    const past = Object.fromEntries((await stats('serocu.lro', { from: '2020-01-01', to: '2020-12-31' })).map((r: any) => [r.kind, r]));
    expect(past.PERSON).toMatchObject({ overdue: 1, dueInPeriod: 0, retained: 0, disposed: 0, tombstones: 1 });

    const refused = await app.gql('serocu.lro', STATS, { from: '2026-05-01', to: '2026-04-01' });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'filter.to' }] });
  });

  it("never shows one organisation another's reviews or tombstones: not in the figures, the queue, a tombstone or a record's reviews", async () => {
    const tvp = await stats('tvp.investigator');
    expect(tvp.map((r: any) => `${r.organisation.code} ${r.kind}`)).toEqual(['TVP PERSON']);
    expect(tvp[0]).toMatchObject({ overdue: 1, retained: 0, disposed: 0, tombstones: 0 });
    expect(await stats('oxon.mash')).toEqual([]);
    for (const [as, id] of [['tvp.investigator', ids.gone], ['tvp.investigator', ids.threat], ['oxon.mash', ids.gone], ['surrey.investigator', ids.threat]]) {
      expect({ as, tombstone: expectData(await app.gql(as, `query ($id: ID!) { disposedRecord(id: $id) { recordId } }`, { id })).disposedRecord }).toEqual({ as, tombstone: null });
    }
    // As the application role itself: row-level security hides SEROCU's decisions and tombstones from TVP whatever the query.
    if (accessLayers.database) {
      const seen = await app.app.orm.em.getConnection().getKnex().transaction(async (trx) => {
        const [{ id, org }] = await trx('app_user').select('id', 'organisation_id as org').where({ username: 'tvp.investigator' });
        await trx.raw(`select set_config('soc.user_id', ?, true), set_config('soc.organisation_id', ?, true), set_config('soc.roles', '{INVESTIGATOR}', true)`, [id, org]);
        await trx.raw('set local role soc_app');
        const reviews = await trx('retention_review').count('* as n');
        const tombstones = await trx('disposed_record').count('* as n');
        return { reviews: Number(reviews[0].n), tombstones: Number(tombstones[0].n) };
      });
      expect(seen).toEqual({ reviews: 0, tombstones: 0 });
    }
  });

  it("a regional unit's auditor counts the region's; the report document gives a SEROCU key SEROCU's figures", async () => {
    // Tombstones and decisions as the region's audit trail: SEROCU's here (TVP has none); TVP's overdue person only if the auditor may read people.
    const auditor = await stats('serocu.auditor');
    expect(auditor.filter((r: any) => r.organisation.code === 'SEROCU' && r.kind === 'PERSON')).toEqual([expect.objectContaining({ retained: 1, disposed: 1, tombstones: 1 })]);
    expect(auditor.every((r: any) => ['SEROCU', 'TVP'].includes(r.organisation.code))).toBe(true);
    const key = (await createApiKey(app.app.orm.em.getConnection().getKnex(), { organisationCode: 'SEROCU', name: 'retention' })).key;
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, 'retention-reviews', '--format', 'json', '--url', app.url, '--key', key, '--from', today, '--to', addYears(today, 1)], {
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
    const printed = JSON.parse(result.stdout) as Record<string, unknown>[];
    const viaApi = await stats('serocu.lro', { from: today, to: addYears(today, 1) });
    expect(printed).toHaveLength(viaApi.length);
    expect(printed.find((r) => r.kind === 'PERSON')).toMatchObject({ overdue: 1, retained: 1, disposed: 1, tombstones: 1 });
  });

  it('needs a stated purpose once it counts a referral, whatever its marking (as reading one does), and records the read', async () => {
    await createReferral(app, { receivingOrganisationId: await orgId(app, 'TVP') }, 'oxon.mash');
    const refused = await app.gql('oxon.mash', 'query OxonNoPurpose { retentionStats { rows { kind } } }', undefined, { purpose: null });
    expect(refused.errors?.[0]?.extensions?.code).toBe('PURPOSE_REQUIRED');
    const counted = expectData(await app.gql('oxon.mash', 'query OxonRetention { retentionStats { rows { kind dueInPeriod } } }', undefined, { purpose: 'SAFEGUARDING' }));
    expect(counted.retentionStats.rows).toEqual([{ kind: 'SAFEGUARDING_REFERRAL', dueInPeriod: 1 }]);
    const events = await sql(`select action, record_type, detail from audit_event e join app_user u on u.id = e.user_id
      where u.username = 'oxon.mash' and e.operation in ('OxonNoPurpose', 'OxonRetention') order by e.id`);
    expect(events).toEqual([
      expect.objectContaining({ action: 'DENIED', record_type: 'RetentionReview' }),
      expect.objectContaining({ action: 'READ', record_type: 'RetentionReview', detail: { aggregates: [{ statistic: 'retentionStats', sensitiveRecords: 1 }] } }),
    ]);
  });
});
