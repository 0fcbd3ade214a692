import { registerEnumType } from 'type-graphql';

export enum PriorityBand {
  HIGH = 'HIGH',
  MEDIUM = 'MEDIUM',
  LOW = 'LOW',
  STANDARD = 'STANDARD',
}

export enum AssessmentMethod {
  MORILE_TACTICAL = 'MORILE_TACTICAL',
  MORILE_THEMATIC = 'MORILE_THEMATIC',
  OCGM_LEGACY = 'OCGM_LEGACY',
}

export enum Confidence {
  HIGH = 'HIGH',
  MEDIUM = 'MEDIUM',
  LOW = 'LOW',
}

export enum AssessmentStatus {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  APPROVED = 'APPROVED',
  RETURNED = 'RETURNED',
}

registerEnumType(PriorityBand, { name: 'PriorityBand', description: 'Priority band from the assessment model, highest first.' });
registerEnumType(AssessmentMethod, { name: 'AssessmentMethod' });
registerEnumType(Confidence, { name: 'Confidence' });
registerEnumType(AssessmentStatus, { name: 'AssessmentStatus' });
