import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createApiKey } from '../../server/src/auth/api-keys';
import { listReports, loadReport } from '../../server/scripts/report/documents';
import { runReport } from '../../server/scripts/report/run';
import { createThreat, expectData } from '../support/factories';
import { dbId, sql } from '../support/disruption-factories';
import { createTestApp, type TestApp } from '../support/test-app';

const CLI = path.resolve(__dirname, '../../dist/server/scripts/report/main.js');
/** Visible to SEROCU: TVP's regional records. Big enough for many pages at --page-size 100. */
const REGIONAL_ROWS = 2_500;

let app: TestApp;
let key: string;
let tmp: string;

/** Inserts `count` validated disruptions in one statement (set-up only; the API would take minutes). */
async function bulkDisruptions(threatId: string, count: number, org: string, sharing: string, firstDate: string) {
  await sql(
    app,
    `insert into disruption (threat_id, date, claiming_organisation_id, strand, level, tactic, description, impact_narrative,
        evidence_refs, status, submitted_at, decided_by, decision, level_agreed, strand_agreed, decided_at,
        owning_organisation_id, protective_marking, sharing, created_by, updated_by)
     select ?, ?::date + (i % 200), o.id, 'PURSUE', 'MODERATE', 'CRIME', 'Bulk disruption ' || i,
        'Line closed, "Jay" arrested, phones seized ' || i, array['REF-' || i], 'VALIDATED', now(), v.id, 'VALIDATED', 'MINOR', 'PURSUE', now(),
        o.id, 'OFFICIAL', ?, u.id, u.id
       from generate_series(1, ?) i, organisation o, app_user u, app_user v
      where o.code = ? and u.username = ? and v.username = 'serocu.validator'`,
    [dbId(threatId), firstDate, sharing, count, org, org === 'TVP' ? 'tvp.investigator' : 'hiow.analyst'],
  );
}

beforeAll(async () => {
  app = await createTestApp();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-report-'));
  const threat = await createThreat(app, 'tvp.investigator', { name: 'Operation Export' });
  await bulkDisruptions(threat.id, REGIONAL_ROWS, 'TVP', 'REGIONAL_LAW_ENFORCEMENT', '2025-07-01');
  await bulkDisruptions(threat.id, 40, 'TVP', 'OWNER_ONLY', '2025-07-01');
  await bulkDisruptions(threat.id, 60, 'HIOW', 'REGIONAL_LAW_ENFORCEMENT', '2026-03-01');
  key = (await createApiKey(app.app.orm.em.getConnection().getKnex(), { organisationCode: 'SEROCU', name: 'cli test' })).key;
}, 120_000);
afterAll(async () => {
  await app.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A stream that keeps what is written to it, as the CLI's stdout would. */
function collected(): { stream: Writable; text(): string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the compiled CLI; `onStdout` sees output as it arrives. */
function cli(args: string[], options: { env?: Record<string, string>; onStdout?: (all: string) => void } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
      options.onStdout?.(stdout);
    });
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const run = (args: string[]) => cli([...args, '--url', app.url, '--key', key]);

/** What serocu.analyst (a person of the key's organisation) sees, through the API. */
async function visibleToSerocuAnalyst(filter: Record<string, unknown> = {}): Promise<number> {
  const data = expectData(await app.gql('serocu.analyst', 'query ($filter: DisruptionFilter) { disruptions(filter: $filter) { totalCount } }', { filter }));
  return data.disruptions.totalCount;
}

describe('npm run report against a running server', () => {
  it('exports every visible disruption as CSV, the same records a person of the organisation sees', async () => {
    const out = path.join(tmp, 'all.csv');
    const result = await run(['disruptions-export', '--format', 'csv', '--out', out]);
    expect(result).toMatchObject({ code: 0 });
    const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(
      'id,date,status,countsAsDisruption,claimingOrganisation.code,contributors.code,threat.urn,threat.name,strand,level,tactic,' +
        'validation.levelAgreed,validation.strandAgreed,validation.decision,validation.at,isLate,submittedAt,description,impactNarrative,evidenceRefs,protectiveMarking',
    );
    const expected = await visibleToSerocuAnalyst();
    expect(expected).toBe(REGIONAL_ROWS + 60); // not TVP's OWNER_ONLY records
    expect(lines).toHaveLength(expected + 1);
    expect(new Set(lines.slice(1).map((l) => l.split(',')[0])).size).toBe(expected); // no row twice across pages
    expect(lines.find((l) => l.includes(',Bulk disruption 7,'))).toContain(',"Line closed, ""Jay"" arrested, phones seized 7",REF-7,OFFICIAL');
    expect(result.stderr).toMatch(/disruptions-export: 2,560 rows written to .*all\.csv/);
    expect(fs.existsSync(`${out}.part`)).toBe(false);
  });

  it('streams: rows of the first pages are written before later pages are even asked for', async () => {
    // A proxy that holds back every request after the second until the CLI has written the
    // rows of the first two pages. A CLI that gathered all rows before writing would never
    // write them, and this test would time out.
    let requests = 0;
    let rowsSeen = 0;
    const waiting: (() => void)[] = [];
    const proxy = http.createServer(async (req, res) => {
      const body = await new Promise<string>((r) => {
        let b = '';
        req.on('data', (c) => (b += c)).on('end', () => r(b));
      });
      requests += 1;
      if (requests > 2 && rowsSeen < 200) await new Promise<void>((r) => waiting.push(r));
      const upstream = await fetch(`${app.url}/graphql`, { method: 'POST', headers: req.headers as Record<string, string>, body });
      res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(await upstream.text());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      let requestsWhenFirstRowsArrived = 0;
      const result = await cli(['disruptions-export', '--format', 'csv', '--page-size', '100', '--url', proxyUrl, '--key', key], {
        onStdout: (all) => {
          rowsSeen = all.split('\n').length - 2;
          if (!requestsWhenFirstRowsArrived && rowsSeen > 0) requestsWhenFirstRowsArrived = requests;
          if (rowsSeen >= 200) waiting.splice(0).forEach((release) => release());
        },
      });
      expect(result.code).toBe(0);
      expect(requests).toBe(Math.ceil((REGIONAL_ROWS + 60) / 100));
      expect(requestsWhenFirstRowsArrived).toBeLessThanOrEqual(2);
      expect(result.stdout.trimEnd().split('\n')).toHaveLength(REGIONAL_ROWS + 60 + 1);
    } finally {
      proxy.close();
    }
  });

  it('filters by --from, --to and --org (the code resolved to the organisation)', async () => {
    const result = await run(['disruptions-export', '--format', 'json', '--org', 'HIOW', '--from', '2026-03-01', '--to', '2026-03-10']);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout);
    const hiow = expectData(await app.gql('serocu.admin', `{ organisations(first: 100) { edges { node { id code } } } }`)).organisations.edges.find(
      (e: any) => e.node.code === 'HIOW',
    ).node.id;
    expect(rows).toHaveLength(await visibleToSerocuAnalyst({ claimingOrganisationIds: [hiow], dateFrom: '2026-03-01', dateTo: '2026-03-10' }));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r: any) => r.claimingOrganisation.code === 'HIOW' && r.date >= '2026-03-01' && r.date <= '2026-03-10')).toBe(true);
    // JSON keeps the API's shape.
    expect(rows[0]).toMatchObject({ status: 'VALIDATED', validation: { levelAgreed: 'MINOR' }, evidenceRefs: [expect.stringMatching(/^REF-/)] });
  });

  it('prints a table for a person', async () => {
    const result = await run(['disruptions-export', '--format', 'table', '--org', 'HIOW', '--from', '2026-03-01', '--to', '2026-03-01']);
    expect(result.code).toBe(0);
    const [header, rule, ...rest] = result.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^id\s+date\s+status\s+countsAsDisruption\s+claimingOrganisation\.code/);
    expect(rule).toMatch(/^-+ {2}-+/);
    expect(rest.at(-1)).toMatch(/^\(\d+ rows?\)$/);
    expect(rest.slice(0, -1).every((l) => /\s2026-03-01\s+VALIDATED\s+true\s+HIOW/.test(l))).toBe(true);
  });

  it('lists the reports', async () => {
    const result = await cli(['list']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^disruptions-export\s+Every disruption you may see/m);
  });

  it('is installed as the package\'s soc-hub-report command', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
    const bin = path.resolve(__dirname, '../..', pkg.bin['soc-hub-report']);
    const result = await new Promise<CliRun>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, 'list'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^disruptions-export\s+Every disruption you may see/m);
  });

  it('fails clearly: a refused key (exit 1, UNAUTHENTICATED, no file left), an unknown report, a bad date', async () => {
    const out = path.join(tmp, 'refused.csv');
    const refused = await cli(['disruptions-export', '--url', app.url, '--key', key.slice(0, -3) + 'xyz', '--out', out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('UNAUTHENTICATED');
    expect(fs.existsSync(out) || fs.existsSync(`${out}.part`)).toBe(false);

    const unknown = await run(['no-such-report']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no report "no-such-report"');

    const badDate = await run(['disruptions-export', '--from', '1 April']);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('--from: "1 April" is not a date');

    const noKey = await cli(['disruptions-export', '--url', app.url]);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('no API key');
  });

  it('runs a report document from any path, with other variables given by --var', async () => {
    const file = path.join(tmp, 'my-report.graphql');
    fs.writeFileSync(
      file,
      `# My copy: MAJOR claims only.\n# rows: disruptions.edges.node\nquery Mine($levels: [DisruptionLevel!], $first: Int, $after: String) {
        disruptions(first: $first, after: $after, filter: { level: $levels }) { pageInfo { hasNextPage endCursor } edges { node { id level } } } }`,
    );
    const result = await run([file, '--format', 'csv', '--var', 'levels=["MODERATE"]']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('id,level');
    expect(lines).toHaveLength(REGIONAL_ROWS + 60 + 1);
  });

  it('disruptions-by-force-by-quarter: figures match ones computed independently from the records', async () => {
    const result = await run(['disruptions-by-force-by-quarter', '--format', 'csv']);
    expect(result.code).toBe(0);
    const [header, ...lines] = result.stdout.trimEnd().split('\n');
    expect(header).toBe('organisation.code,fiscalYear,quarter,countingCount,count,lateCount');
    // Independently: every record SEROCU may see (all validated at MINOR, so all count), by
    // reporting year from 1 April and quarter (Q1 April to June).
    const records = await sql(app, `select o.code, to_char(d.date, 'YYYY-MM-DD') as date from disruption d join organisation o on o.id = d.claiming_organisation_id where d.sharing <> 'OWNER_ONLY'`);
    const expected = new Map<string, number>();
    for (const r of records) {
      const [year, month] = r.date.split('-').map(Number);
      const start = month >= 4 ? year : year - 1;
      const quarter = `Q${Math.floor(((month + 8) % 12) / 3) + 1}`;
      const key = `${r.code},${start}/${String(start + 1).slice(2)},${quarter}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    const actual = new Map(lines.map((l) => {
      const [code, fy, q, counting, count, late] = l.split(',');
      expect(counting).toBe(count);
      expect(late).toBe('0');
      return [`${code},${fy},${q}`, Number(counting)];
    }));
    expect(actual).toEqual(expected);
    expect(actual.size).toBeGreaterThan(2);
  });

  it('reports of several sections: threat-picture, plan-quality and referral-timeliness as tables, JSON, and CSV one table per file (or --section), rows sorted by their keys', async () => {
    const LIVE = ['TRIGGER_SUBMITTED', 'UNDER_ASSESSMENT', 'ASSESSED', 'ADOPTED', 'UNDER_REVIEW'];
    const live = expectData(await app.gql('serocu.analyst', 'query ($s: [ThreatStatus!]) { threats(filter: { status: $s }) { totalCount } }', { s: LIVE }));

    const picture = await run(['threat-picture', '--format', 'json']);
    expect(picture.code).toBe(0);
    const sections = JSON.parse(picture.stdout);
    expect(Object.keys(sections)).toEqual(['threatStats', 'threatStats.rows']);
    expect(sections.threatStats).toEqual([{ total: live.threats.totalCount }]);
    expect(sections['threatStats.rows']).toContainEqual({
      subjectType: 'ORGANISED_CRIME_GROUP', priority: null, leadOrganisation: { code: 'TVP' }, category: 'ILLEGAL_DRUGS', count: 1,
    });

    const table = await run(['plan-quality', '--format', 'table']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^# planStats\nadoptedThreats +withPlanInForce +withPlanInForceAndLro +plansChecked +plansFailingGate\n/);
    expect(table.stdout).toContain('\n# planStats.gateFailures\n');
    expect(table.stdout).toContain('\n# planStats.actionsByOwner\n');

    // CSV holds one table: without a file per table or a section picked, the report says so.
    const refused = await run(['referral-timeliness', '--format', 'csv']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/several tables \(referralStats.acknowledgementByUrgency, referralStats.rows, referralStats.outcomes\).*--section.*--out/);
    const urgency = await run(['referral-timeliness', '--format', 'csv', '--section', 'referralStats.acknowledgementByUrgency']);
    expect(urgency.code).toBe(0);
    expect(urgency.stdout).toMatch(/^urgency,targetHours,referrals,/);
    // Sorted by its keys: the server lists urgencies most urgent first (RED, AMBER, GREEN); the file, by name.
    expect(urgency.stdout.trimEnd().split('\n').slice(1).map((l) => l.split(',')[0])).toEqual(['AMBER', 'GREEN', 'RED']);
    expect(urgency.stdout).toMatch(/\nRED,\d+,0,0,0,0,0/);

    const out = path.join(tmp, 'timeliness.csv');
    const files = await run(['referral-timeliness', '--format', 'csv', '--out', out]);
    expect(files.code).toBe(0);
    const heads = ['acknowledgementByUrgency', 'rows', 'outcomes'].map((t) => fs.readFileSync(path.join(tmp, `timeliness.referralStats.${t}.csv`), 'utf8').split('\n')[0]);
    expect(heads).toEqual([
      expect.stringMatching(/^urgency,targetHours,referrals,/),
      'referralType,receivingOrganisation.code,fiscalYear,quarter,count,acknowledged,acknowledgedWithinTarget,awaitingAcknowledgement,overdue',
      'outcome,count',
    ]);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(tmp).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('every stock report runs for every kind of organisation\'s key, leaving out what is withheld rather than failing', async () => {
    // In this process, through the CLI's own runner (runReport, what main.ts calls once its
    // arguments are read): thirty report processes each starting Node took over 300 s at load 35.
    // The process itself (arguments, exit codes, files) is what the other tests here run.
    const knex = app.app.orm.em.getConnection().getKnex();
    const reports = listReports().map((r) => r.name);
    expect(reports.length).toBeGreaterThanOrEqual(6);
    for (const org of ['OXON_CS', 'HMRC', 'TVP']) {
      const orgKey = (await createApiKey(knex, { organisationCode: org, name: `every report ${org}` })).key;
      for (const report of reports) {
        const out = collected();
        const outcome = await runReport(loadReport(report), { url: app.url, credential: orgKey, format: 'json', out: out.stream }).then(
          () => 'ran',
          (err: Error) => `failed: ${err.message}`,
        );
        expect({ org, report, outcome }).toEqual({ org, report, outcome: 'ran' });
        expect(() => JSON.parse(out.text())).not.toThrow();
      }
    }
  }, 300_000);

  it("insights: findings with the records behind them, as the key's organisation sees them", async () => {
    const result = await run(['insights', '--format', 'json', '--var', 'limit=100']);
    expect(result.code).toBe(0);
    const sections = JSON.parse(result.stdout);
    expect(Object.keys(sections)).toEqual(['insights.counts', 'insights.items', 'insights.withheld']);
    // Operation Export has one recorded criminal activity (inspection finding 3).
    const single = sections['insights.items'].filter((i: any) => i.kind === 'SINGLE_ACTIVITY_THREAT');
    expect(single.map((i: any) => i.records[0].name)).toContain('Operation Export');
    expect(sections['insights.counts']).toContainEqual({ kind: 'SINGLE_ACTIVITY_THREAT', total: single.length });

    const table = await run(['insights', '--format', 'table']);
    expect(table.stdout).toMatch(/\n# insights.items\nkind +summary +records.__typename +records.urn +records.name/);
    expect(table.stdout).toMatch(/SINGLE_ACTIVITY_THREAT .*SocThreat +\S+ +Operation Export/);
  });
});
