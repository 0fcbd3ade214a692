import type { Page, WebSocketRoute } from 'playwright-core';
import { describeInBrowser, openPage, screenshot, useBrowserSession, type WatchedPage } from '../support/browser';
import { createThreat } from '../support/factories';
import { signIn } from './sign-in';

/**
 * Live updates in a real browser: two people of different organisations in two browser contexts;
 * what one records reaches the other's screen without a reload, and a record taken out of the
 * other's reach disappears with a notice.
 */
describeInBrowser('web client: live updates', () => {
  const session = useBrowserSession();
  const others: WatchedPage[] = [];

  /** A second person in their own browser context (own session storage, own socket). */
  async function secondPerson(): Promise<WatchedPage> {
    const watched = await openPage(session.browser, session.app.url);
    others.push(watched);
    return watched;
  }

  afterEach(async () => {
    for (const other of others.splice(0)) {
      expect(other.consoleErrors).toEqual([]);
      await other.context.close();
    }
  });

  const connectionState = (page: Page) => page.getByTestId('connection');

  async function editThreat(page: Page, threatId: string, changes: { summary?: string; sharing?: string }) {
    await page.goto(`/threats/${threatId}/edit`);
    if (changes.summary !== undefined) await page.getByLabel('Summary').fill(changes.summary);
    if (changes.sharing) await page.getByRole('combobox', { name: 'Sharing' }).selectOption(changes.sharing);
    await page.getByRole('button', { name: 'Save changes' }).click();
  }

  it('shows another organisation’s change in place, a new threat in the list, and a withdrawn one going with a notice', async () => {
    const threat = await createThreat(session.app, 'serocu.analyst', { name: 'Operation Larch', summary: 'Cash couriers on the M25.' });

    const { page: analyst } = session.watched;
    const { page: surrey } = (await secondPerson());
    await Promise.all([signIn(analyst, 'serocu.analyst'), signIn(surrey, 'surrey.investigator')]);
    await connectionState(surrey).getByText('Live', { exact: true }).waitFor();
    expect(await connectionState(surrey).getAttribute('role')).toBe('status');

    // Surrey watches the threat; SEROCU's analyst edits it in their own browser.
    await surrey.goto(`/threats/${threat.id}`);
    await surrey.getByTestId('summary').getByText('Cash couriers on the M25.').waitFor();
    await connectionState(surrey).getByText('Live', { exact: true }).waitFor();
    await editThreat(analyst, threat.id, { summary: 'Cash couriers on the M25, now using hire vans.' });
    await analyst.getByTestId('summary').getByText('now using hire vans').waitFor();
    await surrey.getByTestId('summary').getByText('Cash couriers on the M25, now using hire vans.').waitFor();
    await screenshot(surrey, 'live-threat-updated');

    // A threat SEROCU records appears in Surrey's open list.
    await surrey.goto('/threats?q=Operation');
    await surrey.getByRole('link', { name: 'Operation Larch', exact: true }).waitFor();
    expect(await surrey.getByRole('link', { name: 'Operation Spruce', exact: true }).count()).toBe(0);
    await createThreat(session.app, 'serocu.analyst', { name: 'Operation Spruce' });
    await surrey.getByRole('link', { name: 'Operation Spruce', exact: true }).waitFor();
    await screenshot(surrey, 'live-threat-list');

    // Narrowing the sharing takes it off Surrey's screen, with a notice saying so.
    await surrey.getByRole('link', { name: 'Operation Larch', exact: true }).click();
    await surrey.getByRole('heading', { name: /Operation Larch/, level: 1 }).waitFor();
    await editThreat(analyst, threat.id, { sharing: 'OWNER_ONLY' });
    await surrey.getByTestId('live-notices').getByText('Operation Larch is no longer shared with you.').waitFor();
    await surrey.getByText('This threat does not exist or you may not see it.').waitFor();
    await screenshot(surrey, 'live-threat-withdrawn');
    await surrey.getByRole('link', { name: 'Threats', exact: true }).click();
    await surrey.getByRole('link', { name: 'Operation Spruce', exact: true }).waitFor();
    expect(await surrey.getByRole('link', { name: 'Operation Larch', exact: true }).count()).toBe(0);
  });

  it('resumes from its last cursor after the connection drops, missing nothing and repeating nothing', async () => {
    const threat = await createThreat(session.app, 'serocu.analyst', { name: 'Operation Hazel', summary: 'First summary.' });
    const { page: surrey, context } = session.watched;
    // Playwright's offline mode leaves WebSockets alone, so the socket is routed: while cut off it is
    // dropped as by a restarting server (1012) and new ones are refused the same way. The route
    // also notes each subscription's `after` and each event's cursor.
    let cutOff = false;
    const open: WebSocketRoute[] = [];
    const subscribedAfter: (string | null)[] = [];
    const delivered: { cursor: string; summary?: string }[] = [];
    await context.routeWebSocket(/\/graphql$/, (ws) => {
      if (cutOff) return void ws.close({ code: 1012, reason: 'cut off by the test' });
      const server = ws.connectToServer();
      ws.onMessage((message) => {
        const parsed = JSON.parse(String(message));
        if (parsed.type === 'subscribe') subscribedAfter.push(parsed.payload.variables.after ?? null);
        server.send(message);
      });
      server.onMessage((message) => {
        const parsed = JSON.parse(String(message));
        const event = parsed.type === 'next' ? parsed.payload.data?.events : null;
        if (event?.recordId === threat.id) delivered.push({ cursor: event.cursor, summary: event.record?.summary });
        ws.send(message);
      });
      ws.onClose(() => server.close());
      open.push(ws);
    });
    const update = async (summary: string) => {
      const { data } = await session.app.gql('serocu.analyst', `{ node(id: "${threat.id}") { ... on SocThreat { version } } }`);
      const changed = await session.app.gql('serocu.analyst', 'mutation ($input: UpdateThreatInput!) { updateThreat(input: $input) { id } }', {
        input: { id: threat.id, expectedVersion: data.node.version, summary },
      });
      expect(changed.errors).toBeUndefined();
    };

    await signIn(surrey, 'surrey.investigator');
    await surrey.goto(`/threats/${threat.id}`);
    await surrey.getByTestId('summary').getByText('First summary.').waitFor();
    await connectionState(surrey).getByText('Live', { exact: true }).waitFor();
    await update('Second summary.');
    await surrey.getByTestId('summary').getByText('Second summary.').waitFor();
    const lastSeen = delivered.at(-1)!.cursor;

    cutOff = true;
    await Promise.all(open.splice(0).map((ws) => ws.close({ code: 1012, reason: 'cut off by the test' })));
    await connectionState(surrey).getByText(/^(Reconnecting…|Offline)$/).waitFor();
    await screenshot(surrey, 'live-reconnecting');
    // Changed while Surrey is cut off: it must arrive once the connection is back.
    await update('Changed while Surrey was cut off.');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await surrey.getByTestId('summary').textContent()).toBe('Second summary.');

    cutOff = false;
    await connectionState(surrey).getByText('Live', { exact: true }).waitFor({ timeout: 20_000 });
    await surrey.getByTestId('summary').getByText('Changed while Surrey was cut off.').waitFor();
    // Resubscribed from the last event it had, not from where it first started: nothing twice.
    expect(subscribedAfter.at(-1)).toBe(lastSeen);
    expect(subscribedAfter[0]).not.toBe(lastSeen);
    expect(delivered.map((d) => d.summary)).toEqual(['Second summary.', 'Changed while Surrey was cut off.']);
    expect(new Set(delivered.map((d) => d.cursor)).size).toBe(delivered.length);
  });
});
