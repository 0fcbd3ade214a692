import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ENVIRONMENT_VARIABLES, loadConfig } from '../../server/src/config';

/**
 * What can be checked of the deployment without a Docker engine: the compose file parses, has
 * PostgreSQL, two replicas and a WebSocket-aware balancer, each with a health check; the
 * replicas set only variables the server reads, and enough of them for it to start in
 * production; the Dockerfile builds in stages and runs as an unprivileged user.
 */
const root = path.resolve(__dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string | number | boolean>;
  healthcheck?: { test: string[]; interval?: string; start_period?: string };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  ports?: string[];
  expose?: string[];
}

/** Compose's `${NAME:-default}` / `${NAME}` interpolation, with nothing set in the shell. */
const interpolate = (value: string) => value.replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_m, _name, fallback) => fallback ?? '');

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
  const { services } = compose;
  const replicas = ['app1', 'app2'];

  it('has PostgreSQL, two server replicas built from the Dockerfile, and a load balancer', () => {
    expect(Object.keys(services).sort()).toEqual(['app1', 'app2', 'db', 'lb']);
    expect(services.db.image).toMatch(/^postgres:1[5-9]/);
    for (const name of replicas) expect(services[name].build).toBe('.');
    expect(services.lb.image).toMatch(/^nginx:/);
    expect(services.lb.ports).toEqual(['4000:8080']);
    // Only the balancer is published; the replicas and the database are reached inside the network.
    for (const name of [...replicas, 'db']) expect(services[name].ports).toBeUndefined();
  });

  it('gives every service a health check, and starts each after what it needs is healthy', () => {
    for (const [name, service] of Object.entries(services)) {
      expect({ name, test: service.healthcheck?.test }).toEqual({ name, test: expect.arrayContaining([expect.any(String)]) });
    }
    for (const name of replicas) {
      expect(services[name].healthcheck!.test.join(' ')).toMatch(/127\.0\.0\.1:4000\/readyz/);
      expect(services[name].healthcheck!.start_period).toBeDefined(); // migrations take a while on a first start
      expect(services[name].depends_on).toEqual({ db: { condition: 'service_healthy' } });
    }
    expect(services.lb.depends_on).toEqual({ app1: { condition: 'service_healthy' }, app2: { condition: 'service_healthy' } });
  });

  it('sets only variables the server reads, and all it needs to start in production', () => {
    for (const name of replicas) {
      const environment = services[name].environment!;
      expect(Object.keys(environment).filter((v) => !ENVIRONMENT_VARIABLES.includes(v))).toEqual([]);
      const env = Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, interpolate(String(v))]));
      const config = loadConfig(env); // throws, naming the variable, if anything is missing or wrong
      expect(config).toMatchObject({ nodeEnv: 'production', port: 4000, allowDevTokens: false, seedDemoData: false, trustProxy: 1 });
      expect(config.oidcIssuer).toMatch(/^https:\/\//);
      expect(config.metricsToken).toBeUndefined();
      // The database URL names the db service with the credentials it is created with.
      const url = new URL(config.databaseUrl!);
      const db = services.db.environment!;
      expect([url.hostname, url.port, url.username, decodeURIComponent(url.password), url.pathname.slice(1)]).toEqual([
        'db',
        '5432',
        db.POSTGRES_USER,
        interpolate(String(db.POSTGRES_PASSWORD)),
        db.POSTGRES_DB,
      ]);
    }
    expect(services.app1.environment).toEqual(services.app2.environment);
  });

  it('shares the development signing key between the replicas, on a volume the image lets its user write', () => {
    for (const name of replicas) expect(services[name].volumes).toEqual(['devkeys:/data']);
    expect(services.app1.environment!.DATA_DIR).toBe('/data');
    expect(Object.keys(compose.volumes).sort()).toEqual(['devkeys', 'pgdata']);
    expect(read('Dockerfile')).toMatch(/chown node:node \/data/);
  });

  it('balances across both replicas on the port they listen on, passing WebSocket upgrades through', () => {
    const [mount] = services.lb.volumes!;
    const [source, target] = mount.split(':');
    expect(target).toBe('/etc/nginx/nginx.conf');
    const nginx = read(source);
    const upstream = /upstream soc_hub \{([^}]*)\}/.exec(nginx)?.[1] ?? '';
    expect([...upstream.matchAll(/server (\S+);?/g)].map((m) => m[1]).sort()).toEqual(['app1:4000', 'app2:4000']);
    expect(nginx).toMatch(/proxy_pass http:\/\/soc_hub;/);
    expect(nginx).toMatch(/proxy_http_version 1\.1;/);
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(nginx).toMatch(/proxy_set_header Connection \$connection_upgrade;/);
    expect(nginx).toMatch(/proxy_read_timeout (\d{3,})s;/); // subscriptions outlive the default 60 s
    expect(nginx).toMatch(/listen 8080( backlog=\d+)?;/);
    expect(nginx).toMatch(/location = \/lb-health/);
    expect(services.lb.healthcheck!.test.join(' ')).toMatch(/:8080\/lb-health/);
    // One hop, replaced rather than appended, matching TRUST_PROXY=1.
    expect(nginx).toMatch(/proxy_set_header X-Forwarded-For \$remote_addr;/);
    expect(nginx).toMatch(/location = \/metrics \{\s*return 404;/);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages = instructions.reduce<string[][]>((acc, line) => (line.startsWith('FROM ') ? [...acc, [line]] : (acc[acc.length - 1].push(line), acc)), []);
  const runtime = stages[stages.length - 1];

  it('builds in stages, and the runtime stage takes only what the build produced', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages[0][0]).toMatch(/^FROM node:20\S* AS build$/);
    expect(runtime.filter((l) => l.startsWith('COPY'))).toEqual(runtime.filter((l) => l.startsWith('COPY --from=build')));
    expect(runtime.some((l) => /npm (ci|install)/.test(l))).toBe(false);
    expect(stages[0].join('\n')).toMatch(/npm prune --omit=dev/);
  });

  it('runs as an unprivileged user, with a health check on readiness', () => {
    const users = runtime.filter((l) => l.startsWith('USER '));
    expect(users.length).toBeGreaterThan(0);
    const user = users[users.length - 1].slice(5).trim();
    expect(['root', '0', '0:0']).not.toContain(user);
    expect(runtime.findIndex((l) => l.startsWith('USER '))).toBeLessThan(runtime.findIndex((l) => l.startsWith('CMD ')));
    expect(runtime.find((l) => l.startsWith('HEALTHCHECK'))).toMatch(/\/readyz/);
    expect(runtime.find((l) => l.startsWith('CMD'))).toBe('CMD ["node", "--max-semi-space-size=32", "dist/server/src/main.js"]');
  });

  it('sets only variables the server reads', () => {
    const env = runtime.filter((l) => l.startsWith('ENV ')).flatMap((l) => [...l.matchAll(/(\w+)=/g)].map((m) => m[1]));
    expect(env.filter((v) => !ENVIRONMENT_VARIABLES.includes(v))).toEqual([]);
  });

  it('keeps local installs, builds and the embedded database out of the build context', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim());
    for (const entry of ['node_modules', 'dist', '.data', '.env']) expect(ignored).toContain(entry);
  });
});
