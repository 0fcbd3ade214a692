import type { TestApp } from './test-app';
import { sql } from './disruption-factories';

/**
 * Makes the audit insert of operations named `operation` fail inside the request's transaction,
 * as a broken audit write would. The events the server then writes on their own (marked
 * `requestRolledBack`) are let through, so a test can check them.
 */
export async function refuseAuditInsertsOf(app: TestApp, operation: string): Promise<void> {
  await sql(
    app,
    `create function test_refuse_audit() returns trigger language plpgsql as $$
     begin
       if new.operation = '${operation.replace(/'/g, "''")}' and not (new.detail ? 'requestRolledBack') then
         raise exception 'audit insert refused for the test';
       end if;
       return new;
     end $$`,
  );
  await sql(app, 'create trigger aaa_test_refuse_audit before insert on audit_event for each row execute function test_refuse_audit()');
}
