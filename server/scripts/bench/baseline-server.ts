/**
 * The baseline: the thinnest server that can answer the benchmark's scenarios. A bare node:http
 * server and one pg Pool; each request runs its scenario's single hand-written statement, which
 * builds the response body in PostgreSQL, and writes that text back untouched. No framework, no
 * GraphQL, no token verification (the username comes in a header), so the gap between it and
 * SOC Hub is everything our stack adds.
 *
 * Run by run.ts as a child process: DATABASE_URL, PORT and POOL_MAX come from the environment.
 */
import http from 'node:http';
import pg from 'pg';
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

async function answer(scenario: Scenario, req: http.IncomingMessage): Promise<string> {
  const { variables = {} } = JSON.parse((await readBody(req)) || '{}') as { variables?: Record<string, unknown> };
  const username = String(req.headers[BASELINE_USER_HEADER] ?? '');
  const { rows } = await pool.query<{ body: string }>(scenario.baselineSql, scenario.baselineParams(variables, username));
  return rows[0]?.body ?? '{"data":null}';
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
