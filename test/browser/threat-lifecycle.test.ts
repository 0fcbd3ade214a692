import type { Page } from 'playwright-core';
import { axeOnPage } from '../support/axe';
import { describeInBrowser, screenshot, useBrowserSession } from '../support/browser';
import { signIn } from './sign-in';

/** Every serious or critical axe violation on the page as it is now; the contrast and label rules must have applied. */
async function axeViolations(page: Page): Promise<string[]> {
  const { seriousViolations, rulesNotApplied } = await axeOnPage(page);
  expect(rulesNotApplied).toEqual([]);
  return seriousViolations;
}

const threatQuery = `query ($id: ID!) {
  node(id: $id) {
    ... on SocThreat {
      id urn name status archiveReason version
      members { id role underOffenderManagement nominal { id name aliases dateOfBirth } }
      linkedThreats { reason threat { id } }
    }
  }
}`;

const personQuery = `query ($id: ID!) {
  node(id: $id) {
    ... on Nominal { id name aliases dateOfBirth protectiveMarking sharing version owningOrganisation { code } }
  }
}`;

/** Analysts manage a threat's members, links and status, and the people, on screen; each change is checked through the API. */
describeInBrowser('web client: threat members, links, lifecycle and people', () => {
  const session = useBrowserSession();

  const gql = async (query: string, variables?: Record<string, unknown>) => {
    const result = await session.app.gql('serocu.analyst', query, variables);
    expect(result.errors).toBeUndefined();
    return result.data;
  };
  const threatById = async (id: string) => (await gql(threatQuery, { id })).node;
  const personById = async (id: string) => (await gql(personQuery, { id })).node;

  /** SEROCU's own threats, with their status. */
  const ourThreats = async () => {
    const data = await gql(`{ threats(first: 100) { edges { node { id urn name status owningOrganisation { code } members { nominal { id } } } } } }`);
    return data.threats.edges.map((e: any) => e.node).filter((t: any) => t.owningOrganisation.code === 'SEROCU');
  };

  /** The message shown beside the control labelled `name`. */
  const messageBeside = (page: Page, name: string) => page.locator('.field-invalid', { has: page.getByLabel(name, { exact: true }) }).locator('.field-error');

  it('adds an existing person and a newly recorded one as members, then removes one', async () => {
    const threat = (await ourThreats()).find((t: any) => !['ARCHIVED', 'REJECTED'].includes(t.status));
    const memberIds = new Set(threat.members.map((m: any) => m.nominal?.id));
    const people = await gql(`{ nominals(first: 100) { edges { node { id name owningOrganisation { code } } } } }`);
    const names = people.nominals.edges.map((e: any) => e.node.name);
    // Someone not yet a member, whose name no one else shares (so the right button is easy to find).
    const existing = people.nominals.edges.map((e: any) => e.node).find((n: any) => !memberIds.has(n.id) && names.filter((x: string) => x === n.name).length === 1);
    const before = await threatById(threat.id);

    const { page } = session.watched;
    await signIn(page, 'serocu.analyst');
    await page.goto(`/threats/${encodeURIComponent(threat.id)}`);
    await page.getByTestId('protective-marking').waitFor();
    expect(await axeViolations(page)).toEqual([]);

    // An existing person, found by name, by keyboard.
    await page.getByRole('button', { name: 'Add a member' }).focus();
    await page.keyboard.press('Enter');
    const panel = page.getByRole('region', { name: 'Add a member' });
    await panel.getByLabel('Find a person by name or alias').fill(existing.name);
    await panel.getByRole('button', { name: `Choose ${existing.name}`, exact: true }).click();
    await panel.getByTestId('chosen-person').getByText(existing.name).waitFor();
    // No role yet: said beside the role.
    await panel.getByRole('button', { name: 'Add member' }).click();
    await messageBeside(page, 'Role in the group').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await panel.getByLabel('Role in the group').selectOption({ label: 'Significant' });
    await panel.getByRole('button', { name: 'Add member' }).click();
    await panel.waitFor({ state: 'detached' });
    await page.getByTestId('members').getByRole('link', { name: existing.name, exact: true }).waitFor();
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.textContent)).toBe('Add a member');
    const added = await threatById(threat.id);
    expect(added.version).toBe(before.version + 1);
    expect(added.members.find((m: any) => m.nominal?.id === existing.id)).toMatchObject({ role: 'SIGNIFICANT', underOffenderManagement: false });

    // Adding them again is refused in the server's words, not reported as someone else's change.
    await page.getByRole('button', { name: 'Add a member' }).click();
    await panel.getByLabel('Find a person by name or alias').fill(existing.name);
    await panel.getByRole('button', { name: `Choose ${existing.name}`, exact: true }).click();
    await panel.getByLabel('Role in the group').selectOption({ label: 'Principal' });
    await panel.getByRole('button', { name: 'Add member' }).click();
    await panel.getByRole('alert').getByText('This person is already a current member of the threat.', { exact: true }).waitFor();
    expect(await panel.getByText(/Someone else changed/).count()).toBe(0);
    expect((await threatById(threat.id)).version).toBe(added.version);
    await panel.getByRole('button', { name: 'Cancel' }).last().click();
    await panel.waitFor({ state: 'detached' });

    // A new person, recorded on the way.
    await page.getByRole('button', { name: 'Add a member' }).click();
    await panel.getByRole('button', { name: 'Record a new person' }).click();
    const newPerson = panel.getByRole('group', { name: 'New person' });
    await newPerson.getByLabel('Name', { exact: true }).fill('Tobias Wrenfield');
    await newPerson.getByLabel('Aliases (optional)').fill('Toby\nWren');
    await newPerson.getByLabel('Date of birth (optional)').fill('1998-04-05');
    expect(await axeViolations(page)).toEqual([]);
    await newPerson.getByRole('button', { name: 'Record person' }).click();
    await panel.getByTestId('chosen-person').getByText('Tobias Wrenfield').waitFor();
    await panel.getByLabel('Role in the group').selectOption({ label: 'Enabler' });
    await panel.getByLabel('Under offender management').check();
    await panel.getByRole('button', { name: 'Add member' }).click();
    await page.getByTestId('members').getByRole('link', { name: 'Tobias Wrenfield', exact: true }).waitFor();
    const withNew = await threatById(threat.id);
    expect(withNew.version).toBe(added.version + 1);
    const toby = withNew.members.find((m: any) => m.nominal?.name === 'Tobias Wrenfield');
    expect(toby).toMatchObject({ role: 'ENABLER', underOffenderManagement: true, nominal: { aliases: ['Toby', 'Wren'], dateOfBirth: '1998-04-05' } });
    await screenshot(page, 'threat-members');

    // Removing one asks first.
    await page.getByRole('button', { name: 'Remove Tobias Wrenfield from this threat' }).click();
    const confirm = page.getByRole('region', { name: 'Remove Tobias Wrenfield from this threat' });
    expect(await axeViolations(page)).toEqual([]);
    await confirm.getByRole('button', { name: 'Keep them' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect((await threatById(threat.id)).members.map((m: any) => m.id)).toContain(toby.id);
    await page.getByRole('button', { name: 'Remove Tobias Wrenfield from this threat' }).click();
    await confirm.getByRole('button', { name: 'Remove member' }).click();
    await page.getByTestId('members').getByRole('link', { name: 'Tobias Wrenfield', exact: true }).waitFor({ state: 'detached' });
    const removed = await threatById(threat.id);
    expect(removed.version).toBe(withNew.version + 1);
    expect(removed.members.map((m: any) => m.id)).not.toContain(toby.id);
    expect(removed.members.find((m: any) => m.nominal?.id === existing.id)).toBeTruthy();
    // The person who stays a member lists the threat on their page.
    await page.getByTestId('members').getByRole('link', { name: existing.name, exact: true }).click();
    await page.getByRole('heading', { name: new RegExp(`^${existing.name}`), level: 1 }).waitFor();
    await page.getByTestId('memberships').getByRole('link', { name: `${threat.urn} ${threat.name}` }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('links two threats with a reason (a missing reason is the server’s to report), then removes the link after confirming', async () => {
    const [threat, other] = await ourThreats();
    const before = await threatById(threat.id);
    expect(before.linkedThreats.map((l: any) => l.threat?.id)).not.toContain(other.id);
    const refused = await session.app.gql('serocu.analyst', `mutation ($input: LinkThreatsInput!) { linkThreats(input: $input) { id } }`, {
      input: { threatId: threat.id, linkedThreatId: other.id, expectedVersion: before.version, reason: '' },
    });
    const reasonMessage = refused.errors![0].extensions!.fields.find((f: any) => f.field === 'input.reason').message as string;

    const { page } = session.watched;
    await signIn(page, 'serocu.analyst');
    await page.goto(`/threats/${encodeURIComponent(threat.id)}`);
    await page.getByRole('button', { name: 'Link to another threat' }).click();
    const panel = page.getByRole('region', { name: 'Link to another threat' });
    await panel.getByLabel('Find a threat by name or reference').fill(other.urn);
    await panel.getByRole('button', { name: `Choose ${other.urn} ${other.name}` }).click();
    await panel.getByTestId('chosen-threat').waitFor();
    await panel.getByRole('button', { name: 'Link threats' }).click();
    await messageBeside(page, 'Why they are linked').getByText(reasonMessage).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await panel.getByLabel('Why they are linked').fill('Shared supplier of Class A in Reading.');
    await panel.getByRole('button', { name: 'Link threats' }).click();
    await panel.waitFor({ state: 'detached' });
    await page.getByTestId('links').getByRole('link', { name: `${other.urn} ${other.name}` }).waitFor();
    const linked = await threatById(threat.id);
    expect(linked.version).toBe(before.version + 1);
    expect(linked.linkedThreats).toEqual(expect.arrayContaining([{ reason: 'Shared supplier of Class A in Reading.', threat: { id: other.id } }]));
    // Seen from the other side too.
    expect((await threatById(other.id)).linkedThreats.map((l: any) => l.threat?.id)).toContain(threat.id);
    expect(await axeViolations(page)).toEqual([]);

    // Removing it asks first; keeping it changes nothing.
    await page.getByTestId('links').getByRole('button', { name: `Remove link to ${other.urn} ${other.name}` }).click();
    const confirm = page.getByRole('region', { name: `Remove the link to ${other.urn} ${other.name}` });
    await confirm.getByText('The link goes from both threats').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await confirm.getByRole('button', { name: 'Keep the link' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect((await threatById(threat.id)).version).toBe(linked.version);
    await page.getByTestId('links').getByRole('button', { name: `Remove link to ${other.urn} ${other.name}` }).click();
    await confirm.getByRole('button', { name: 'Remove link' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.getByTestId('links').getByRole('link', { name: `${other.urn} ${other.name}` }).waitFor({ state: 'detached' });
    const unlinked = await threatById(threat.id);
    expect(unlinked.version).toBe(linked.version + 1);
    expect(unlinked.linkedThreats.map((l: any) => l.threat?.id)).not.toContain(other.id);
    expect((await threatById(other.id)).linkedThreats.map((l: any) => l.threat?.id)).not.toContain(threat.id);
  });

  it('moves a threat one lifecycle step, then archives it: the reason is asked for, and its absence is reported by the server beside the field', async () => {
    const threat = (await ourThreats()).find((t: any) => t.status === 'ADOPTED');
    const { page } = session.watched;
    await signIn(page, 'serocu.analyst');
    await page.goto(`/threats/${encodeURIComponent(threat.id)}`);
    await page.getByTestId('status').getByText('Adopted').waitFor();
    const before = await threatById(threat.id);

    // From adopted the only move is to under review, offered in words.
    await page.getByRole('button', { name: 'Move to…' }).click();
    const panel = page.getByRole('region', { name: 'Move this threat on from adopted' });
    expect(await panel.getByLabel('Move to').locator('option').allTextContents()).toEqual(['Under review']);
    expect(await axeViolations(page)).toEqual([]);
    await panel.getByRole('button', { name: 'Move threat' }).click();
    await panel.waitFor({ state: 'detached' });
    await page.getByTestId('status').getByText('Under review').waitFor();
    const reviewed = await threatById(threat.id);
    expect(reviewed).toMatchObject({ status: 'UNDER_REVIEW', version: before.version + 1 });

    // The server's words for archiving without a reason (nothing is changed by asking).
    const refused = await session.app.gql('serocu.analyst', `mutation ($input: ChangeThreatStatusInput!) { changeThreatStatus(input: $input) { id } }`, {
      input: { id: threat.id, status: 'ARCHIVED', expectedVersion: reviewed.version },
    });
    const reasonMessage = refused.errors![0].extensions!.fields.find((f: any) => f.field === 'input.archiveReason').message as string;
    expect(reasonMessage).toBeTruthy();

    await page.getByRole('button', { name: 'Move to…' }).click();
    const next = page.getByRole('region', { name: 'Move this threat on from under review' });
    expect(await next.getByLabel('Move to').locator('option').allTextContents()).toEqual(['Choose…', 'Adopted', 'Archived']);
    await next.getByLabel('Move to').selectOption({ label: 'Archived' });
    await next.getByRole('button', { name: 'Archive threat' }).click();
    await messageBeside(page, 'Reason for archiving').getByText(reasonMessage).waitFor();
    expect(await page.getByLabel('Reason for archiving').getAttribute('aria-invalid')).toBe('true');
    expect((await threatById(threat.id)).status).toBe('UNDER_REVIEW');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'threat-archive-reason');
    await next.getByLabel('Reason for archiving').selectOption({ label: 'Dismantled' });
    await next.getByRole('button', { name: 'Archive threat' }).click();
    await page.getByTestId('status').getByText('Archived (dismantled)').waitFor();
    expect(await threatById(threat.id)).toMatchObject({ status: 'ARCHIVED', archiveReason: 'DISMANTLED', version: reviewed.version + 1 });
    // Archived is final: no move is offered.
    expect(await page.getByRole('button', { name: 'Move to…' }).count()).toBe(0);
    await page.getByText('Archived is a final status').waitFor();
  });

  it('moves against the version seen: someone else’s change first is reported, and the move then made on the threat as it is', async () => {
    // A new threat starts as a trigger submitted.
    const organisationId = (await gql('{ viewer { organisation { id } } }')).viewer.organisation.id;
    const threat = (await gql(`mutation ($input: CreateThreatInput!) { createThreat(input: $input) { id status } }`, {
      input: {
        name: 'Operation Lapwing Browser', subjectType: 'ORGANISED_CRIME_GROUP', leadOrganisationId: organisationId, taskingLevel: 'REGIONAL', geographicScope: 'REGIONAL',
        access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT' },
        criminalActivities: [{ category: 'ILLEGAL_DRUGS', description: 'Deal line', firstIdentified: '2026-03-01' }],
      },
    })).createThreat;
    expect(threat.status).toBe('TRIGGER_SUBMITTED');
    const { page } = session.watched;
    await signIn(page, 'serocu.analyst');
    await page.goto(`/threats/${encodeURIComponent(threat.id)}`);
    await page.getByRole('button', { name: 'Move to…' }).click();
    const panel = page.getByRole('region', { name: 'Move this threat on from trigger submitted' });
    expect(await panel.getByLabel('Move to').locator('option').allTextContents()).toEqual(['Under assessment']);

    // Meanwhile, through the API, someone else changes the threat.
    const before = await threatById(threat.id);
    const theirs = await session.app.gql('serocu.analyst', `mutation ($input: UpdateThreatInput!) { updateThreat(input: $input) { version } }`, {
      input: { id: threat.id, expectedVersion: before.version, summary: 'Changed by someone else meanwhile.' },
    });
    expect(theirs.errors).toBeUndefined();

    await panel.getByRole('button', { name: 'Move threat' }).click();
    await panel.getByRole('alert').getByText(/Someone else changed this threat just before you/).waitFor();
    expect((await threatById(threat.id)).status).toBe('TRIGGER_SUBMITTED');
    await panel.getByRole('button', { name: 'Move threat' }).click();
    await page.getByTestId('status').getByText('Under assessment').waitFor();
    expect(await threatById(threat.id)).toMatchObject({ status: 'UNDER_ASSESSMENT', version: before.version + 2 });
  });

  it('finds people, records a person (the server’s message beside a missing name) and edits them', async () => {
    const refused = await session.app.gql('serocu.analyst', `mutation ($input: CreateNominalInput!) { createNominal(input: $input) { id } }`, {
      input: { name: '', access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT' } },
    });
    const nameMessage = refused.errors![0].extensions!.fields.find((f: any) => f.field === 'input.name').message as string;
    const someone = (await gql(`{ nominals(first: 1) { edges { node { id name } } } }`)).nominals.edges[0].node;

    const { page } = session.watched;
    await signIn(page, 'serocu.analyst');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click();
    await page.getByRole('heading', { name: 'People', level: 1 }).waitFor();
    await page.getByRole('searchbox', { name: 'Search' }).fill(someone.name);
    await page.keyboard.press('Enter');
    await page.getByTestId('people').getByRole('link', { name: someone.name, exact: true }).first().waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Record a person' }).click();
    await page.getByRole('heading', { name: 'Record a person', level: 1 }).waitFor();
    await page.getByLabel('Aliases (optional)').fill('Dee');
    await page.getByLabel('Date of birth (optional)').fill('2010-09-14');
    await page.getByRole('button', { name: 'Record person' }).click();
    await messageBeside(page, 'Name').getByText(nameMessage).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Name', { exact: true }).fill('Delphine Ashcombe');
    await page.getByRole('button', { name: 'Record person' }).click();
    await page.getByRole('heading', { name: /^Delphine Ashcombe/, level: 1 }).waitFor();
    const id = decodeURIComponent(page.url().match(/\/people\/([^/?#]+)$/)![1]);
    expect(await personById(id)).toMatchObject({
      name: 'Delphine Ashcombe', aliases: ['Dee'], dateOfBirth: '2010-09-14', protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT', version: 1,
      owningOrganisation: { code: 'SEROCU' },
    });
    await page.getByTestId('protective-marking').getByText('Official sensitive').waitFor();
    await page.getByTestId('aliases').getByText('Dee').waitFor();
    await page.getByTestId('date-of-birth').getByText('14 Sept 2010').or(page.getByTestId('date-of-birth').getByText('14 Sep 2010')).waitFor();
    await page.getByText('Not a member of any threat shared with you.').waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Edit details and sharing' }).click();
    await page.getByRole('heading', { name: 'Edit Delphine Ashcombe', level: 1 }).waitFor();
    await page.getByLabel('Aliases (optional)').fill('Dee\nDel');
    await page.getByLabel('Protective marking').selectOption({ label: 'Official' });
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByTestId('aliases').getByText('Dee, Del').waitFor();
    await page.getByTestId('protective-marking').getByText('Official', { exact: true }).waitFor();
    expect(await personById(id)).toMatchObject({ name: 'Delphine Ashcombe', aliases: ['Dee', 'Del'], dateOfBirth: '2010-09-14', protectiveMarking: 'OFFICIAL', version: 2 });
    // The change is in the person's history.
    await page.getByRole('heading', { name: /^History/ }).waitFor();
    // The history is fetched again after the save: wait for the second entry rather than count at once.
    await page.locator('ol.history > li').nth(1).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'person-page');
  });
});
