import { registerEnumType } from 'type-graphql';

/** What an audit event records (docs/domain.md, AuditEvent). */
export enum AuditAction {
  READ = 'READ',
  CREATE = 'CREATE',
  UPDATE = 'UPDATE',
  DELETE = 'DELETE',
  DENIED = 'DENIED',
  EXPORT = 'EXPORT',
}

/** Why the user is working with the data: stated with each request (X-Purpose). */
export enum Purpose {
  INVESTIGATION = 'INVESTIGATION',
  SAFEGUARDING = 'SAFEGUARDING',
  TASKING = 'TASKING',
  ANALYSIS = 'ANALYSIS',
  REPORTING = 'REPORTING',
  AUDIT = 'AUDIT',
}

registerEnumType(AuditAction, {
  name: 'AuditAction',
  description: 'What an audit event records.',
  valuesConfig: {
    READ: { description: 'Sensitive records (OFFICIAL_SENSITIVE and above, and every safeguarding referral) were read.' },
    DENIED: { description: 'The request was refused: FORBIDDEN, a mutation on a record not found, or no stated purpose.' },
    EXPORT: { description: 'Records left the platform in an export or report.' },
  },
});
registerEnumType(Purpose, {
  name: 'Purpose',
  description: 'The purpose stated with a request (HTTP header X-Purpose, or connection_init `purpose` on WebSocket).',
});
