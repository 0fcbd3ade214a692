/**
 * The benchmark scenarios: each GraphQL operation side by side with the baseline's hand-written
 * SQL that returns the same data. The baseline builds the whole response body in PostgreSQL in
 * one statement, so it measures the least work any server could do for that answer; the ratio
 * of our throughput to its throughput is our overhead.
 *
 * The baseline is held to the same access rules: baseline-server.ts runs each statement as the
 * application role with the caller's settings (row-level security decides which rows exist), and
 * the SQL below nulls what sanitised views withhold from partners (access/redaction.ts), so a
 * partner's answer is compared with a partner's answer. SQL_CALLER_SEES_ALL is the redaction test.
 */
import { fromGlobalId } from '../../src/graphql/global-id';
import { fiscalQuarterNumberSql, fiscalStartYearSql } from '../../src/modules/reporting/fiscal';
import { today } from '../../src/shared/validation';

/** The users every scenario runs as: access rules must not make partners slow. */
export const BENCH_USERS = [
  { username: 'serocu.analyst', label: 'SEROCU', purpose: 'ANALYSIS' },
  // A partner may state only purposes its roles allow (server/src/access/purpose-roles.ts).
  { username: 'oxon.mash', label: 'partner', purpose: 'SAFEGUARDING' },
] as const;

/** The purpose a bench user states (ANALYSIS for anyone else, as the bench always did). */
export const benchPurpose = (username: string): string => BENCH_USERS.find((u) => u.username === username)?.purpose ?? 'ANALYSIS';

/** The baseline takes the username from this header instead of verifying a token. */
export const BASELINE_USER_HEADER = 'x-bench-user';

/** Values found in the database before measuring (a threat to fetch by ID). */
export interface Fixtures {
  threatId: string;
}

export interface Scenario {
  name: string;
  title: string;
  /** null: the GraphQL field does not exist yet; the report says "not yet available". */
  document: string | null;
  variables: (f: Fixtures) => Record<string, unknown>;
  /** One statement returning the whole response body as text (column `body`). */
  baselineSql: string;
  /** Bindings of baselineSql ($1, $2, ...) from the request's variables. */
  baselineParams: (variables: Record<string, unknown>) => unknown[];
  /** Parts of the answer that legitimately differ between two requests (a new record's ID). */
  ignoreInComparison?: string[];
  /** Writes: the marker that lets the harness delete what the run created. */
  createsNominalsNamed?: string;
  /**
   * An absolute target besides the ratio to the baseline (report.ts): disruptionStats' latency.
   * Throughput has none: it is the machine's as much as ours (this 2-core machine serves the
   * 20-threat page at about 225 req/s in plain SQL), so it is judged as a ratio only.
   */
  targets?: { maxP50Ms?: number };
}

/** Relay global ID in SQL, as toGlobalId() does in TypeScript: base64url("Type:uuid") without padding. */
const gid = (type: string, column: string) =>
  `rtrim(translate(encode(convert_to('${type}:' || ${column}, 'UTF8'), 'base64'), E'+/\\n', '-_'), '=')`;

/**
 * Whether the caller sees a record unsanitised (access/redaction.ts): law enforcement, or the
 * record's own organisation. `owner` is the record's owning organisation column, or null for
 * types whose withheld fields are withheld from every partner (a criminal activity's).
 */
const SQL_CALLER_SEES_ALL = (owner: string | null) =>
  owner ? `(soc_caller_is_law_enforcement() or ${owner} = soc_caller_org())` : 'soc_caller_is_law_enforcement()';
const unlessWithheld = (owner: string | null, value: string) => `case when ${SQL_CALLER_SEES_ALL(owner)} then ${value} end`;

/** Wraps the SQL of `data` into the GraphQL response shape, as text so Node never parses it. */
const response = (field: string, value: string) => `json_build_object('data', json_build_object('${field}', ${value}))::text as body`;

const viewer: Scenario = {
  name: 'viewer',
  title: 'viewer',
  document: `query Viewer { viewer { id username displayName roles clearance organisation { id code name } } }`,
  variables: () => ({}),
  baselineSql: `
    select ${response('viewer', `json_build_object(
      'id', ${gid('User', 'u.id')}, 'username', u.username, 'displayName', u.display_name, 'roles', u.roles,
      'clearance', u.clearance, 'organisation', json_build_object('id', ${gid('Organisation', 'o.id')}, 'code', o.code, 'name', o.name))`)}
    from app_user u join organisation o on o.id = u.organisation_id
    where u.id = soc_caller_user()`,
  baselineParams: () => [],
};

/**
 * The plan quality gate of plans/plan.quality.ts, per plan `pl`, as checks (group, order, code,
 * failed) so the problems come out in the same order as assessPlanQuality() lists them.
 * $1 is today's date.
 */
const PLAN_QUALITY_SQL = `(
  select json_build_object(
    'score', round(100.0 * count(*) filter (where not c.failed) / count(*))::int,
    'problems', coalesce(json_agg(json_build_object('code', c.code) order by c.grp, c.ord) filter (where c.failed), '[]'::json))
  from (
    select 1 as grp, s.ord, 'MISSING_STRAND' as code,
      (pl.strand_exemptions ->> s.strand is null and not exists (select 1 from plan_objective o where o.plan_id = pl.id and o.strand = s.strand)) as failed
      from unnest(array['PURSUE', 'PREVENT', 'PROTECT', 'PREPARE']) with ordinality as s(strand, ord)
    union all
    select 2, ca.seq, 'ACTIVITY_NOT_ADDRESSED',
      not exists (select 1 from plan_action a where a.plan_id = pl.id and a.status <> 'CANCELLED' and ca.id = any (a.addresses_activity_ids))
      from criminal_activity ca where ca.threat_id = pl.threat_id
    union all
    select 3, 0, 'NO_LRO', pl.lro_id is null
    union all
    select 4, 0, 'REVIEW_OVERDUE', coalesce(pl.next_review_due < $1::date, pl.status = 'ACTIVE') where pl.status <> 'CLOSED'
    union all
    select 5, s.ord, 'PARTNER_NOT_NAMED', not exists (select 1 from plan_partner pp where pp.plan_id = pl.id and s.strand = any (pp.strands))
      from unnest(array['PREVENT', 'PROTECT']) with ordinality as s(strand, ord) where pl.strand_exemptions ->> s.strand is null
  ) c
)`;

/** The threats list's default order (threat.resolver.ts): most recently updated first, then id. */
const PAGE_ORDER = 'updated_at desc, id asc';

const threatsPage: Scenario = {
  name: 'threatsPage',
  title: '20 threats + activities, lead org, plan quality',
  document: `query ThreatsPage($first: Int!) { threats(first: $first) { totalCount edges { node {
    id urn name status priority
    leadOrganisation { id code name }
    criminalActivities { id category description }
    plan { id status quality { score problems { code } } }
  } } } }`,
  variables: () => ({ first: 20 }),
  baselineSql: `
    -- The page from the index on (updated_at desc, id), the total counted beside it; row-level
    -- security narrows both to what the caller may read.
    with page as (select t.* from soc_threat t order by ${PAGE_ORDER} limit $2)
    select ${response('threats', `json_build_object(
      'totalCount', (select count(*) from soc_threat),
      'edges', coalesce(json_agg(json_build_object('node', json_build_object(
        'id', ${gid('SocThreat', 'p.id')}, 'urn', p.urn, 'name', p.name, 'status', p.status,
        'priority', ${unlessWithheld('p.owning_organisation_id', 'p.priority')},
        'leadOrganisation', (select json_build_object('id', ${gid('Organisation', 'o.id')}, 'code', o.code, 'name', o.name)
          from organisation o where o.id = p.lead_organisation_id),
        'criminalActivities', (select coalesce(json_agg(json_build_object('id', ${gid('CriminalActivity', 'ca.id')},
          'category', ca.category, 'description', ${unlessWithheld(null, 'ca.description')}) order by ca.seq), '[]'::json)
          from criminal_activity ca where ca.threat_id = p.id),
        'plan', (select json_build_object('id', ${gid('FourPPlan', 'pl.id')}, 'status', pl.status,
            'quality', ${unlessWithheld('pl.owning_organisation_id', PLAN_QUALITY_SQL)})
          from fourp_plan pl where pl.threat_id = p.id)
      )) order by p.${PAGE_ORDER.replace(', ', ', p.')}), '[]'::json))`)}
    from page p`,
  baselineParams: (v) => [today(), v.first],
};

/**
 * An activity's assessment as assessment resolver picks it: the latest approved one, else the
 * latest of any status (ordered by created_at, id).
 */
const nestedThreats: Scenario = {
  name: 'nested',
  title: '3 levels: threats → activities → assessment → assessedBy',
  document: `query Nested($first: Int!) { threats(first: $first) { edges { node {
    id name criminalActivities { id category assessment { id riskScore priority status assessedBy { id username } } }
  } } } }`,
  variables: () => ({ first: 10 }),
  baselineSql: `
    with page as (select t.* from soc_threat t order by ${PAGE_ORDER} limit $1)
    select ${response('threats', `json_build_object('edges', coalesce(json_agg(json_build_object('node', json_build_object(
      'id', ${gid('SocThreat', 'p.id')}, 'name', p.name,
      'criminalActivities', (select coalesce(json_agg(json_build_object('id', ${gid('CriminalActivity', 'ca.id')}, 'category', ca.category,
        'assessment', ${unlessWithheld(null, `(select json_build_object('id', ${gid('ThreatAssessment', 'a.id')}, 'riskScore', a.risk_score, 'priority', a.priority,
            'status', a.status, 'assessedBy', json_build_object('id', ${gid('User', 'u.id')}, 'username', u.username))
          from threat_assessment a join app_user u on u.id = a.assessed_by
          -- threat_id as well: only it is indexed, so it spares a scan per activity.
          where a.threat_id = ca.threat_id and a.criminal_activity_id = ca.id
          order by a.status = 'APPROVED' desc, a.created_at desc, a.id desc limit 1)`)}
        ) order by ca.seq), '[]'::json) from criminal_activity ca where ca.threat_id = p.id)
    )) order by p.${PAGE_ORDER.replace(', ', ', p.')}), '[]'::json))`)}
    from page p`,
  baselineParams: (v) => [v.first],
};

const nodeById: Scenario = {
  name: 'node',
  title: 'node(id) for a threat',
  document: `query Node($id: ID!) { node(id: $id) { __typename id ... on SocThreat {
    urn name status priority riskScore identifiedOn leadOrganisation { id code name }
  } } }`,
  variables: (f) => ({ id: f.threatId }),
  // A scalar subquery, so that a threat the caller may not read answers node: null, as ours does.
  baselineSql: `
    select ${response('node', `(select json_build_object('__typename', 'SocThreat', 'id', ${gid('SocThreat', 't.id')},
      'urn', t.urn, 'name', t.name, 'status', t.status,
      'priority', ${unlessWithheld('t.owning_organisation_id', 't.priority')}, 'riskScore', ${unlessWithheld('t.owning_organisation_id', 't.risk_score')},
      'identifiedOn', t.identified_on,
      'leadOrganisation', json_build_object('id', ${gid('Organisation', 'o.id')}, 'code', o.code, 'name', o.name))
    from soc_threat t join organisation o on o.id = t.lead_organisation_id
    where t.id = $1)`)}`,
  // The baseline decodes the global ID in JavaScript, as any server must before its SQL.
  baselineParams: (v) => [fromGlobalId(String(v.id))?.id],
};

const STATS_KEYS = [
  [fiscalStartYearSql('d.date'), 'fiscalYear'],
  [fiscalQuarterNumberSql('d.date'), 'quarter'],
  ['coalesce(d.level_agreed, d.level)', 'level'],
] as const;

/**
 * Validated disruptions by reporting year, quarter and level over the whole data set (about
 * 200,000 rows): one aggregate the baseline computes the same way, labels included.
 */
const disruptionStats: Scenario = {
  name: 'disruptionStats',
  title: 'disruptionStats over the whole data set',
  document: `query DisruptionStats { disruptionStats(groupBy: [FISCAL_YEAR, QUARTER, LEVEL]) {
    total countingTotal rows { fiscalYear quarter level count countingCount }
  } }`,
  variables: () => ({}),
  baselineSql: `
    with g as (
      select ${STATS_KEYS.map(([sql], i) => `${sql} as k${i}`).join(', ')}, count(*)::int as n,
        count(*) filter (where d.level_agreed in ('MAJOR', 'MODERATE', 'MINOR'))::int as counting
      from disruption d where d.status = 'VALIDATED'
        -- A disruption counts only with its threat readable, as the disruptions list reads them.
        and exists (select 1 from soc_threat t where t.id = d.threat_id)
      group by 1, 2, 3
    )
    select ${response('disruptionStats', `json_build_object(
      'total', coalesce(sum(g.n), 0)::int, 'countingTotal', coalesce(sum(g.counting), 0)::int,
      'rows', coalesce(json_agg(json_build_object(
        'fiscalYear', g.k0 || '/' || lpad(((g.k0 + 1) % 100)::text, 2, '0'), 'quarter', 'Q' || g.k1, 'level', g.k2,
        'count', g.n, 'countingCount', g.counting) order by g.k0 nulls last, g.k1 nulls last, g.k2 nulls last), '[]'::json))`)}
    from g`,
  baselineParams: () => [],
  targets: { maxP50Ms: 100 },
};

const BENCH_NOMINAL = 'Benchmark Nominal';

/**
 * A write: one shared record with its history row, inserted as the caller (row-level security
 * checks the owner; the history trigger reads the actor from the caller's settings), and the
 * audit event SOC Hub writes for it (the same row: the chain's trigger hashes it), so that both
 * servers do the same writes.
 */
const createNominal: Scenario = {
  name: 'mutation',
  title: 'createNominal (mutation)',
  document: `mutation CreateNominal($input: CreateNominalInput!) { createNominal(input: $input) {
    id name aliases isChild protectiveMarking sharing version
  } }`,
  variables: () => ({
    input: { name: BENCH_NOMINAL, aliases: ['Bench'], access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' } },
  }),
  baselineSql: `
    with created as (
      insert into nominal (name, aliases, vulnerability_flags, protective_marking, sharing, shared_with, owning_organisation_id, created_by, updated_by)
      values ($1, $2::text[], '{}', $3, $4, '{}', soc_caller_org(), soc_caller_user(), soc_caller_user())
      returning *
    ), audited as (
      insert into audit_event (user_id, username, organisation_id, operation, action, record_type, record_ids, purpose, client_address, request_id, detail)
      select u.id, u.username, u.organisation_id, 'CreateNominal', 'CREATE', 'Nominal', array[n.id],
        case u.username ${BENCH_USERS.map((u) => `when '${u.username}' then '${u.purpose}'`).join(' ')} else 'ANALYSIS' end,
        '127.0.0.1', gen_random_uuid()::text, '{"mutations": ["createNominal"]}'
      from created n join app_user u on u.id = soc_caller_user()
    )
    select ${response('createNominal', `json_build_object('id', ${gid('Nominal', 'n.id')}, 'name', n.name, 'aliases', n.aliases,
      'isChild', n.date_of_birth > (current_date - interval '18 years'), 'protectiveMarking', n.protective_marking, 'sharing', n.sharing,
      'version', n.version)`)}
    from created n`,
  baselineParams: (v) => {
    const input = v.input as { name: string; aliases: string[]; access: { protectiveMarking: string; sharing: string } };
    return [input.name.trim(), input.aliases, input.access.protectiveMarking, input.access.sharing];
  },
  ignoreInComparison: ['id'],
  createsNominalsNamed: BENCH_NOMINAL,
};

export const SCENARIOS: Scenario[] = [viewer, threatsPage, nestedThreats, nodeById, disruptionStats, createNominal];
