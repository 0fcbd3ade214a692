export { AuditCollector, type AuditOrigin } from './audit.collector';
export { AuditAction, Purpose } from './audit.enums';
export { auditEveryField, isSensitive } from './audit.middleware';
export { commitWithAuditEvents, writeAuditEvents } from './audit.writer';
export { parsePurpose, passPurposeErrors, PURPOSE_HEADER } from './purpose';
import { AuditEventResolver } from './audit.resolver';
import { PurposeResolver } from './purpose.resolver';

/** The audit trail's GraphQL resolvers (listed in the schema beside the feature modules). */
export const auditResolvers = [AuditEventResolver, PurposeResolver] as const;
