import { registerEnumType } from 'type-graphql';

export enum PracticeStage {
  IDEA = 'IDEA',
  PILOT = 'PILOT',
  IMPLEMENTED = 'IMPLEMENTED',
  EVALUATED = 'EVALUATED',
}

export enum EvidenceRating {
  UNTESTED_NEW = 'UNTESTED_NEW',
  PROMISING = 'PROMISING',
  EFFECTIVE = 'EFFECTIVE',
}

export enum PracticeOrderField {
  RELEVANCE = 'RELEVANCE',
  UPDATED_AT = 'UPDATED_AT',
  ENDORSEMENTS = 'ENDORSEMENTS',
  TITLE = 'TITLE',
}

registerEnumType(PracticeStage, { name: 'PracticeStage' });
registerEnumType(EvidenceRating, {
  name: 'EvidenceRating',
  description: 'How strong the evidence is that the practice works.',
  valuesConfig: {
    UNTESTED_NEW: { description: 'New, not yet tested. The only rating for an IDEA.' },
    PROMISING: { description: 'Early signs it works, from a pilot or implementation.' },
    EFFECTIVE: { description: 'Shown to work by an evaluation; needs the EVALUATED stage.' },
  },
});
registerEnumType(PracticeOrderField, {
  name: 'PracticeOrderField',
  description: 'RELEVANCE ranks matches for filter.text (DESC puts the best first); without text it orders by UPDATED_AT.',
});
