import { randomUUID } from 'node:crypto';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createTestApp, type TestApp } from '../support/test-app';
import { createThreat } from '../support/factories';
import { referralInput } from '../support/referral-factories';
import { dbId, sql } from '../support/disruption-factories';
import { raiseMarkingOnUpdate } from '../support/access-factories';
import { refuseAuditInsertsOf } from '../support/audit-faults';

/**
 * Queries and mutations over WebSocket end their transaction before the answer is sent, as over
 * HTTP: the answer never says "done" of a change that was not kept.
 */
describe('WebSocket operations and their transactions', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
    // The audit insert of operations named NoAudit fails inside the request's transaction (the
    // events are then written on their own, marked rolled back, which this lets through).
    await refuseAuditInsertsOf(app, 'NoAudit');
  });
  afterAll(() => app.stop());

  async function overWebSocket(username: string, purpose: string | null, query: string, variables: Record<string, unknown>): Promise<any> {
    const token = await app.tokenFor(username);
    const client = createClient({
      url: `${app.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}`, ...(purpose ? { purpose } : {}) },
      retryAttempts: 0,
    });
    try {
      return await new Promise((resolve, reject) => {
        let value: unknown;
        client.subscribe({ query, variables }, { next: (v) => (value = v), error: reject, complete: () => resolve(value) });
      });
    } finally {
      await client.dispose();
    }
  }

  it('a mutation whose transaction cannot commit answers SERVICE_UNAVAILABLE, and nothing is kept', async () => {
    const name = `Unkept ${randomUUID().slice(0, 8)}`;
    const result = await overWebSocket('serocu.analyst', 'ANALYSIS', `mutation NoAudit($input: CreateNominalInput!) { createNominal(input: $input) { id } }`, {
      input: { name, aliases: [], access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' } },
    });
    expect(result.data ?? null).toBeNull();
    expect(result.errors.map((e: any) => e.extensions.code)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(result.errors[0].extensions.retryable).toBe(true);
    expect(await sql(app, 'select id from nominal where name = ?', [name])).toEqual([]);
  });

  it('a mutation whose answer is refused for want of a purpose is undone and says nothing was saved', async () => {
    const threat = await createThreat(app, 'tvp.investigator');
    const summary = `Unsaid referral ${randomUUID().slice(0, 8)}`;
    const input = { ...(await referralInput(app, { summary, protectiveMarking: 'OFFICIAL' })), linkedThreatIds: [threat.id] };
    const result = await overWebSocket('tvp.safeguarding', null, `mutation Refer($input: CreateReferralInput!) { createReferral(input: $input) { id linkedThreats { id name } } }`, { input });
    expect(result.data).toBeNull();
    expect(result.errors.map((e: any) => e.extensions.code)).toEqual(['PURPOSE_REQUIRED']);
    expect(result.errors[0].message).toMatch(/^Nothing was saved\./);
    expect(await sql(app, 'select id from safeguarding_referral where summary = ?', [summary])).toEqual([]);
    const events = await sql(app, `select action, detail from audit_event where operation = 'Refer' order by id`);
    expect(events.map((e: any) => e.action).sort()).toEqual(['CREATE', 'DENIED']);
    for (const e of events) expect(e.detail.requestRolledBack).toEqual([true]);
  });

  it('a mutation whose answer fails after the change was made is undone', async () => {
    const threat = await createThreat(app, 'tvp.investigator', { name: `Readback ${randomUUID().slice(0, 8)}` });
    const undo = await raiseMarkingOnUpdate(app);
    try {
      const result = await overWebSocket('tvp.investigator', 'INVESTIGATION', `mutation Raise($input: UpdateThreatInput!) { updateThreat(input: $input) { id name } }`, {
        input: { id: threat.id, expectedVersion: threat.version, name: 'Operation raise me' },
      });
      expect(result.data ?? null).toBeNull();
      expect(result.errors.length).toBeGreaterThan(0);
      expect(await sql(app, 'select name, version from soc_threat where id = ?', [dbId(threat.id)])).toEqual([{ name: threat.name, version: threat.version }]);
    } finally {
      await undo();
    }
  });

  it('a mutation that commits answers with its data, which is kept', async () => {
    const name = `Kept ${randomUUID().slice(0, 8)}`;
    const result = await overWebSocket('serocu.analyst', 'ANALYSIS', `mutation Keep($input: CreateNominalInput!) { createNominal(input: $input) { id name } }`, {
      input: { name, aliases: [], access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' } },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data.createNominal.name).toBe(name);
    expect(await sql(app, 'select id from nominal where name = ?', [name])).toHaveLength(1);
  });
});
