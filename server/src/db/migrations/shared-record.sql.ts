/**
 * SQL shared by migrations that create shared records, so every such table has the same
 * columns: who owns it, how it is marked and shared, who made and changed it, and its version.
 */
export const sharedRecordColumns = `
  owning_organisation_id uuid not null references organisation (id),
  protective_marking text not null check (protective_marking in ('OFFICIAL', 'OFFICIAL_SENSITIVE', 'SECRET', 'TOP_SECRET')),
  sharing text not null check (sharing in ('OWNER_ONLY', 'NAMED_ORGANISATIONS', 'REGIONAL_LAW_ENFORCEMENT', 'ALL_PARTNERS')),
  shared_with uuid[] not null default '{}',
  created_by uuid not null references app_user (id),
  created_at timestamptz not null default now(),
  updated_by uuid not null references app_user (id),
  updated_at timestamptz not null default now(),
  version integer not null default 1`;

/** History triggers for a record table. */
export function recordHistoryTrigger(table: string, recordType: string): string {
  return `create trigger ${table}_history after insert or update or delete on ${table}
    for each row execute function record_history('${recordType}')`;
}

/** History triggers for a child table, filed under its parent record. */
export function partHistoryTrigger(table: string, parentType: string, parentColumn: string, part: string): string {
  return `create trigger ${table}_history after insert or update or delete on ${table}
    for each row execute function record_history('${parentType}', '${parentColumn}', '${part}')`;
}
