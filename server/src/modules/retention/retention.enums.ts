import { registerEnumType } from 'type-graphql';
import type { DisposedType } from './retention-periods';

/** The kinds of record reviewed for retention, and those disposed of with them, as the API names them. */
export enum RetainedRecordKind {
  PERSON = 'PERSON',
  INTELLIGENCE_REPORT = 'INTELLIGENCE_REPORT',
  THREAT = 'THREAT',
  SAFEGUARDING_REFERRAL = 'SAFEGUARDING_REFERRAL',
  FOUR_P_PLAN = 'FOUR_P_PLAN',
  DISRUPTION = 'DISRUPTION',
  ANALYTICAL_REQUEST = 'ANALYTICAL_REQUEST',
}

export const KIND_OF_TYPE: Record<DisposedType, RetainedRecordKind> = {
  Nominal: RetainedRecordKind.PERSON,
  IntelligenceReport: RetainedRecordKind.INTELLIGENCE_REPORT,
  SocThreat: RetainedRecordKind.THREAT,
  SafeguardingReferral: RetainedRecordKind.SAFEGUARDING_REFERRAL,
  FourPPlan: RetainedRecordKind.FOUR_P_PLAN,
  Disruption: RetainedRecordKind.DISRUPTION,
  AnalyticalRequest: RetainedRecordKind.ANALYTICAL_REQUEST,
};

registerEnumType(RetainedRecordKind, {
  name: 'RetainedRecordKind',
  description: 'A kind of record holding personal data, reviewed for retention (MoPI), or disposed of with one (a threat\'s plan, disruptions and analytical requests).',
  valuesConfig: {
    PERSON: { description: 'A person (nominal).' },
    INTELLIGENCE_REPORT: { description: 'An intelligence report.' },
    THREAT: { description: 'A threat (an organised crime group, its members and criminal activities).' },
    SAFEGUARDING_REFERRAL: { description: 'A safeguarding referral, with its timeline.' },
    FOUR_P_PLAN: { description: "A threat's 4P plan: disposed of with its threat, never reviewed on its own." },
    DISRUPTION: { description: 'A disruption: disposed of with its threat, never reviewed on its own.' },
    ANALYTICAL_REQUEST: { description: 'An analytical request for a threat or its plan: disposed of with the threat.' },
  },
});
