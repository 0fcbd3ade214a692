import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125000100_identity } from './Migration20261125000100_identity';
import { Migration20261125000200_history } from './Migration20261125000200_history';
import { Migration20261125000300_threats } from './Migration20261125000300_threats';
import { Migration20261125000400_plans } from './Migration20261125000400_plans';
import { Migration20261125000500_disruptions } from './Migration20261125000500_disruptions';
import { Migration20261125000600_referrals } from './Migration20261125000600_referrals';
import { Migration20261125000700_practice } from './Migration20261125000700_practice';
import { Migration20261125000800_access } from './Migration20261125000800_access';
import { Migration20261125000900_sharing } from './Migration20261125000900_sharing';
import { Migration20261125001000_audit } from './Migration20261125001000_audit';
import { Migration20261125001100_live_events } from './Migration20261125001100_live_events';
import { Migration20261125001200_api_keys } from './Migration20261125001200_api_keys';
import { Migration20261125001300_read_performance } from './Migration20261125001300_read_performance';
import { Migration20261125001400_reporting } from './Migration20261125001400_reporting';
import { Migration20261205001700_referral_access } from './Migration20261205001700_referral_access';
import { Migration20261205001900_threat_bound_records } from './Migration20261205001900_threat_bound_records';
import { Migration20261205002000_history_as_it_was } from './Migration20261205002000_history_as_it_was';
import { Migration20261205002100_user_administration } from './Migration20261205002100_user_administration';
import { Migration20261205003000_audit_sequencer } from './Migration20261205003000_audit_sequencer';
import { Migration20261205003100_intelligence_reports } from './Migration20261205003100_intelligence_reports';
import { Migration20261205003200_link_history_both_sides } from './Migration20261205003200_link_history_both_sides';
import { Migration20261205003300_shared_limits } from './Migration20261205003300_shared_limits';
import { Migration20261205003700_search_indexes } from './Migration20261205003700_search_indexes';
import { Migration20261205003800_agreement_lapses } from './Migration20261205003800_agreement_lapses';
import { Migration20261205003900_access_catalogue_policies } from './Migration20261205003900_access_catalogue_policies';

/**
 * Every migration, oldest first. An explicit list rather than a folder glob, so the compiled
 * server, ts-jest and the CLI all run exactly the same set. Add new ones at the end.
 */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261125000100_identity', class: Migration20261125000100_identity },
  { name: 'Migration20261125000200_history', class: Migration20261125000200_history },
  { name: 'Migration20261125000300_threats', class: Migration20261125000300_threats },
  { name: 'Migration20261125000400_plans', class: Migration20261125000400_plans },
  { name: 'Migration20261125000500_disruptions', class: Migration20261125000500_disruptions },
  { name: 'Migration20261125000600_referrals', class: Migration20261125000600_referrals },
  { name: 'Migration20261125000700_practice', class: Migration20261125000700_practice },
  { name: 'Migration20261125000800_access', class: Migration20261125000800_access },
  { name: 'Migration20261125000900_sharing', class: Migration20261125000900_sharing },
  { name: 'Migration20261125001000_audit', class: Migration20261125001000_audit },
  { name: 'Migration20261125001100_live_events', class: Migration20261125001100_live_events },
  { name: 'Migration20261125001200_api_keys', class: Migration20261125001200_api_keys },
  { name: 'Migration20261125001300_read_performance', class: Migration20261125001300_read_performance },
  { name: 'Migration20261125001400_reporting', class: Migration20261125001400_reporting },
  { name: 'Migration20261205001700_referral_access', class: Migration20261205001700_referral_access },
  { name: 'Migration20261205001900_threat_bound_records', class: Migration20261205001900_threat_bound_records },
  { name: 'Migration20261205002000_history_as_it_was', class: Migration20261205002000_history_as_it_was },
  { name: 'Migration20261205002100_user_administration', class: Migration20261205002100_user_administration },
  { name: 'Migration20261205003000_audit_sequencer', class: Migration20261205003000_audit_sequencer },
  { name: 'Migration20261205003100_intelligence_reports', class: Migration20261205003100_intelligence_reports },
  { name: 'Migration20261205003200_link_history_both_sides', class: Migration20261205003200_link_history_both_sides },
  { name: 'Migration20261205003300_shared_limits', class: Migration20261205003300_shared_limits },
  { name: 'Migration20261205003700_search_indexes', class: Migration20261205003700_search_indexes },
  { name: 'Migration20261205003800_agreement_lapses', class: Migration20261205003800_agreement_lapses },
  { name: 'Migration20261205003900_access_catalogue_policies', class: Migration20261205003900_access_catalogue_policies },
];
