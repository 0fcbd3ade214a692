import { column, globalId, objectSql, subSelections, type FieldSql, type TypeSql } from '../../graphql/compiled-answer';

/** Organisation's fields in SQL (graphql/compiled-answer.ts), over `organisation`. */
const ORGANISATION_SQL: TypeSql<unknown> = {
  id: globalId('Organisation'),
  code: column('code'),
  name: column('name'),
  type: column('type'),
  region: column('region'),
  isLawEnforcement: column('is_law_enforcement'),
};

/** User's fields in SQL, over `app_user`: those anyone who can see a user is shown (no organisation, roles or purposes yet). */
const USER_SQL: TypeSql<unknown> = {
  id: globalId('User'),
  username: column('username'),
  displayName: column('display_name'),
};

/** A field naming an organisation by the id in `idSql(row)`: as organisationLoader reads it, null when there is none. */
export function organisationByIdSql(idSql: (row: string) => string): FieldSql<unknown> {
  return (b, row, field) => {
    const o = b.alias('o');
    const object = objectSql(b, 'Organisation', ORGANISATION_SQL, o, subSelections(field), undefined);
    return object && `(select ${object} from organisation ${o} where ${o}.id = ${idSql(row)})`;
  };
}

/** A field naming a user by the id in `idSql(row)`: as userLoader reads them, null when there is none. */
export function userByIdSql(idSql: (row: string) => string): FieldSql<unknown> {
  return (b, row, field) => {
    const u = b.alias('u');
    const object = objectSql(b, 'User', USER_SQL, u, subSelections(field), undefined);
    // Joined to the organisation as usersBy joins it: a user is found with their organisation.
    return object && `(select ${object} from app_user ${u} join organisation ${u}_o on ${u}_o.id = ${u}.organisation_id where ${u}.id = ${idSql(row)})`;
  };
}
