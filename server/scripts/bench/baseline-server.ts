/**
 * The baseline: the thinnest server that can answer the benchmark's scenarios under the same
 * access rules. A bare node:http server and one pg Pool; each request sends ONE simple-protocol
 * message: BEGIN, the caller's settings (looked up by username) with a switch to the application
 * role, the scenario's hand-written statement, COMMIT. Row-level security therefore decides what
 * the statement sees exactly as it does for SOC Hub, and the statement builds the response body
 * in PostgreSQL, which is written back untouched. No framework, no GraphQL, no token
 * verification (the username comes in a header), so the gap between it and SOC Hub is
 * everything our stack adds.
 *
 * Run by run.ts as a child process: DATABASE_URL, PORT and POOL_MAX come from the environment.
 */
import http from 'node:http';
import pg from 'pg';
import { APPLICATION_ROLE, PLANNER_SETTINGS } from '../../src/db/request-db';
import { BASELINE_USER_HEADER, SCENARIOS, type Scenario } from './scenarios';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_MAX ?? 10) });
const byPath = new Map<string, Scenario>(SCENARIOS.filter((s) => s.document).map((s) => [`/${s.name}`, s]));

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

/** A SQL literal for a binding (simple protocol has no parameters): text, number, boolean, text array, null. */
function literal(client: pg.PoolClient, value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `${client.escapeLiteral(`{${value.map((v) => `"${String(v).replace(/(["\\])/g, '\\$1')}"`).join(',')}}`)}`;
  return client.escapeLiteral(String(value));
}

/** The statement with $1, $2, ... replaced by literals. */
function bind(client: pg.PoolClient, sql: string, params: unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => literal(client, params[Number(n) - 1]));
}

/**
 * The caller's settings, as request-db.ts records them for SOC Hub, and the switch to the
 * application role, all transaction-local. An unknown or inactive user sets nothing, so every
 * rule denies.
 */
function callerSettings(client: pg.PoolClient, username: string): string {
  return `select set_config('soc.user_id', u.id::text, true), set_config('soc.organisation_id', o.id::text, true),
      set_config('soc.is_law_enforcement', o.is_law_enforcement::text, true), set_config('soc.roles', u.roles::text, true),
      set_config('soc.clearance', u.clearance, true), set_config('role', '${APPLICATION_ROLE}', true),
      ${PLANNER_SETTINGS.map(([name, value]) => `set_config('${name}', '${value}', true)`).join(', ')}
    from app_user u join organisation o on o.id = u.organisation_id
    where u.username = ${client.escapeLiteral(username)} and u.active`;
}

async function answer(scenario: Scenario, req: http.IncomingMessage): Promise<string> {
  const { variables = {} } = JSON.parse((await readBody(req)) || '{}') as { variables?: Record<string, unknown> };
  const username = String(req.headers[BASELINE_USER_HEADER] ?? '');
  const client = await pool.connect();
  try {
    const sql = `begin; ${callerSettings(client, username)}; ${bind(client, scenario.baselineSql, scenario.baselineParams(variables))}; commit`;
    const results = (await client.query(sql)) as unknown as pg.QueryResult<{ body: string }>[];
    return results[2].rows[0]?.body ?? '{"data":null}';
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

const server = http.createServer((req, res) => {
  if (req.url === '/ready') return void res.end('ok');
  const scenario = byPath.get(req.url ?? '');
  if (!scenario || req.method !== 'POST') {
    res.statusCode = 404;
    return void res.end();
  }
  answer(scenario, req).then(
    (body) => {
      res.setHeader('content-type', 'application/json');
      res.end(body);
    },
    (err: Error) => {
      res.statusCode = 500;
      res.end(JSON.stringify({ errors: [{ message: err.message }] }));
    },
  );
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  // run.ts reads the port from this line.
  console.log(`baseline listening ${(server.address() as import('node:net').AddressInfo).port}`);
});
process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
