import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../../graphql/node';
import { LocalDate } from '../../graphql/scalars';
import { Organisation } from '../identity/organisation.entity';

export enum IdentifierKind {
  PERSON = 'PERSON',
  PHONE = 'PHONE',
  VEHICLE = 'VEHICLE',
  ADDRESS = 'ADDRESS',
}

registerEnumType(IdentifierKind, {
  name: 'IdentifierKind',
  description: 'What an identifier identifies.',
  valuesConfig: {
    PERSON: { description: 'A person: full name with date of birth.' },
    PHONE: { description: 'A UK phone number.' },
    VEHICLE: { description: 'A vehicle registration.' },
    ADDRESS: { description: 'An address with its postcode.' },
  },
});

export enum MatchStrength {
  EXACT = 'EXACT',
  POSSIBLE = 'POSSIBLE',
}

registerEnumType(MatchStrength, {
  name: 'MatchStrength',
  description: 'How closely a held identifier matches the one checked.',
  valuesConfig: {
    EXACT: { description: 'The same identifier once normalised (a person: the same name and date of birth).' },
    POSSIBLE: { description: 'A person with the same date of birth and a similar name (pg_trgm similarity at least 0.6).' },
  },
});

@InputType({ description: 'An identifier to check or record. A person needs a date of birth; other kinds take none.' })
export class IdentifierInput {
  @Field(() => IdentifierKind) kind!: IdentifierKind;
  @Field(() => String, { description: 'As written: "07700 900123", "AB12 CDE", "14 Mill Lane, Reading RG1 1AA", "John Smith".' }) value!: string;
  @Field(() => LocalDate, { nullable: true, description: 'Required for a person, refused otherwise.' }) dateOfBirth?: string | null;
}

@InputType({ description: 'An identifier to record on a person or intelligence report your organisation holds.' })
export class RecordIdentifierInput extends IdentifierInput {
  @Field(() => String, { description: 'The global ID of the Nominal or IntelligenceReport it belongs to.' }) recordId!: string;
}

@ObjectType({ description: 'Another organisation holds a matching identifier. Nothing of its record is given: only who holds it and whom to contact.' })
export class DeconflictionMatch {
  organisationId!: string;
  @Field(() => Organisation, { description: 'The organisation that holds it.' }) organisation?: Organisation;
  @Field(() => String, { description: "Whom to contact: the organisation's named deconfliction contact, or the lead responsible officer of the record's threat." })
  contact!: string;
  @Field(() => IdentifierKind) kind!: IdentifierKind;
  @Field(() => MatchStrength) strength!: MatchStrength;
}

@ObjectType({ description: 'The answer to a deconfliction check: hit or no hit, and with whom.' })
export class DeconflictionResult {
  @Field(() => Boolean, { description: 'Whether any other organisation holds a matching identifier.' }) matched!: boolean;
  @Field(() => [DeconflictionMatch], { description: 'One per holding organisation, its strongest match first. Matches within your own organisation are not listed: you can look them up.' })
  matches!: DeconflictionMatch[];
}

export enum IdentifierSource {
  NAME = 'NAME',
  ALIAS = 'ALIAS',
  LINKED_PERSON = 'LINKED_PERSON',
}

registerEnumType(IdentifierSource, {
  name: 'IdentifierSource',
  description: "The record's field an identifier was taken from; it changes with that field.",
  valuesConfig: {
    NAME: { description: "The person's name, with their date of birth." },
    ALIAS: { description: "One of the person's aliases, with their date of birth." },
    LINKED_PERSON: { description: 'A person the report is linked to: their name and date of birth.' },
  },
});

@ObjectType({ description: 'An identifier your organisation holds on one of its records: taken from its fields, or recorded by hand.' })
export class RecordedIdentifier {
  @Field(() => ID, { description: 'For removeIdentifier.' }) id!: string;
  @Field(() => IdentifierKind) kind!: IdentifierKind;
  @Field(() => String, { description: 'As written when recorded.' }) value!: string;
  @Field(() => String, { description: 'The form it is compared in (docs/domain.md, "Deconfliction").' }) normalisedValue!: string;
  @Field(() => LocalDate, { nullable: true }) dateOfBirth!: string | null;
  @Field(() => Date) recordedAt!: Date;
  @Field(() => IdentifierSource, { nullable: true, description: 'The field it was taken from; null when recorded by hand.' }) derivedFrom!: IdentifierSource | null;
  @Field(() => Date, { nullable: true, description: 'When it was checked against other organisations; null if it has not been (recorded by someone whose roles do not check).' })
  checkedAt!: Date | null;
  @Field(() => [DeconflictionMatch], { description: 'What that check found: the other organisations holding it, whom to contact, how strong. Empty for no hit or no check.' })
  matches!: DeconflictionMatch[];
}

@ObjectType({ description: 'An identifier recorded, and what the check of it found.' })
export class RecordIdentifierResult {
  @Field(() => RecordedIdentifier) identifier!: RecordedIdentifier;
  @Field(() => DeconflictionResult) deconfliction!: DeconflictionResult;
}

@ObjectType({ implements: Node, description: 'Another organisation checked an identifier your organisation holds: they have an interest in it.' })
export class DeconflictionInterest extends Node {
  dbId!: string;
  checkingOrganisationId!: string;
  checkedById!: string;
  nominalId!: string | null;
  intelligenceReportId!: string | null;
  @Field(() => IdentifierKind) kind!: IdentifierKind;
  @Field(() => String, { description: 'Your identifier that matched, as your organisation recorded it.' }) value!: string;
  @Field(() => MatchStrength) strength!: MatchStrength;
  @Field(() => Date) checkedAt!: Date;
}
