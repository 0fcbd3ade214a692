import { createTestApp, type TestApp } from '../support/test-app';

describe('health probes and the web client', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp()));
  afterAll(() => app.stop());

  it('/healthz says the process is up', async () => {
    const response = await fetch(`${app.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('/readyz says ready when the database answers and migrations are applied', async () => {
    const response = await fetch(`${app.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready' });
  });

  it('/readyz says not ready while a migration is pending', async () => {
    const conn = app.app.orm.em.getConnection();
    const [latest] = await conn.execute(`select name from schema_migration order by id desc limit 1`);
    await conn.execute(`delete from schema_migration where name = ?`, [latest.name]);
    try {
      const response = await fetch(`${app.url}/readyz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'migrations pending', pending: [latest.name] });
    } finally {
      await conn.execute(`insert into schema_migration (name) values (?)`, [latest.name]);
    }
  });

  it('serves the web client at / and for client-side routes', async () => {
    for (const route of ['/', '/threats/abc']) {
      const response = await fetch(`${app.url}${route}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      expect(await response.text()).toContain('SOC Hub');
    }
  });
});
