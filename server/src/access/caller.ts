/**
 * Who is asking, as the access rules see them: the application's policy (policy.ts) and the
 * database's row-level security, to which request-db.ts hands it as transaction settings.
 */
export interface Caller {
  userId: string;
  organisationId: string;
  isLawEnforcement: boolean;
  roles: string[];
  clearance: string;
}
