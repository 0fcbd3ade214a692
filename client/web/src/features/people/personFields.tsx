import type { ProtectiveMarking, Sharing } from '../../gql/graphql';
import { graphql } from '../../gql';
import { protectiveMarkings, sharings } from '../../lib/enums';
import { messagesFor, type FormErrors } from '../../lib/errors';
import { enumOptions, Field } from '../../lib/ui';

/** Records a person; the answer is enough to show and choose them at once. */
export const CreateNominalDocument = graphql(`
  mutation CreateNominal($input: CreateNominalInput!) {
    createNominal(input: $input) {
      id
      name
      aliases
      dateOfBirth
      isChild
      version
      protectiveMarking
      sharing
      withheld {
        field
        reason
      }
      owningOrganisation {
        id
        code
      }
    }
  }
`);

/** A person as a form holds them: lists as one entry a line, '' for an empty date. */
export interface PersonValues {
  name: string;
  aliases: string;
  dateOfBirth: string;
  vulnerabilityFlags: string;
  protectiveMarking: ProtectiveMarking;
  sharing: Sharing;
}

export const blankPerson: PersonValues = {
  name: '',
  aliases: '',
  dateOfBirth: '',
  vulnerabilityFlags: '',
  protectiveMarking: 'OFFICIAL_SENSITIVE',
  sharing: 'REGIONAL_LAW_ENFORCEMENT',
};

/** "a\n\n b " → ['a', 'b']. */
export const lines = (text: string) =>
  text
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);

/** The server's messages about a person, in the form's words. */
export function plainPersonWords(message: string): string {
  return message
    .replace(/\bdateOfBirth\b/g, 'date of birth')
    .replace(/\baliases\[(\d+)\]/g, (_m, i: string) => `alias ${Number(i) + 1}`)
    .replace(/\bvulnerabilityFlags\b/g, 'vulnerability flags')
    .replace(/\bNAMED_ORGANISATIONS\b/g, 'shared with named organisations');
}

const messages = (errors: FormErrors, field: string) => messagesFor(errors, field).map(plainPersonWords);

/** Fields whose messages the person fields show (the rest go to the form's alert). */
export const personFieldNames = ['name', 'aliases', 'dateOfBirth', 'vulnerabilityFlags', 'access'];

/** The fields of a person: name, aliases, date of birth, vulnerability flags and, when recording or changing access, marking and sharing. */
export function PersonFields({ value, set, errors, access = true, sharingOptions = sharings.filter((s) => s !== 'NAMED_ORGANISATIONS') }: {
  value: PersonValues;
  set: (changes: Partial<PersonValues>) => void;
  errors: FormErrors;
  access?: boolean;
  sharingOptions?: readonly Sharing[];
}) {
  return (
    <>
      <Field label="Name" hint="As the person is usually known." errors={messages(errors, 'name')}>
        {(p) => <input {...p} aria-required value={value.name} onChange={(e) => set({ name: e.target.value })} />}
      </Field>
      <Field label="Aliases (optional)" hint="One a line." errors={messages(errors, 'aliases')}>
        {(p) => <textarea {...p} rows={2} value={value.aliases} onChange={(e) => set({ aliases: e.target.value })} />}
      </Field>
      <Field label="Date of birth (optional)" errors={messages(errors, 'dateOfBirth')}>
        {(p) => <input {...p} type="date" value={value.dateOfBirth} onChange={(e) => set({ dateOfBirth: e.target.value })} />}
      </Field>
      <Field label="Vulnerability flags (optional)" hint="One a line, for example: Exploited as a child." errors={messages(errors, 'vulnerabilityFlags')}>
        {(p) => <textarea {...p} rows={2} value={value.vulnerabilityFlags} onChange={(e) => set({ vulnerabilityFlags: e.target.value })} />}
      </Field>
      {access && (
        <div className="row">
          <Field label="Protective marking" errors={messages(errors, 'access.protectiveMarking')}>
            {(p) => (
              <select {...p} value={value.protectiveMarking} onChange={(e) => set({ protectiveMarking: e.target.value as ProtectiveMarking })}>
                {enumOptions(protectiveMarkings)}
              </select>
            )}
          </Field>
          <Field label="Sharing" hint="Who may see this person." errors={messages(errors, 'access.sharing')}>
            {(p) => (
              <select {...p} value={value.sharing} onChange={(e) => set({ sharing: e.target.value as Sharing })}>
                {enumOptions(sharingOptions)}
              </select>
            )}
          </Field>
        </div>
      )}
    </>
  );
}

/** The roles that may record and change people (server/src/access/mutation-roles.ts, PEOPLE). */
const peopleRoles = ['ANALYST', 'INTELLIGENCE_OFFICER', 'INVESTIGATOR', 'LRO', 'SRO', 'OCG_COORDINATOR', 'THREAT_ASSESSOR', 'SAFEGUARDING_PRACTITIONER'];

export const mayRecordPeople = (roles: readonly string[]) => roles.some((r) => peopleRoles.includes(r));

/** The input createNominal takes. */
export function createPersonInput(v: PersonValues) {
  return {
    name: v.name,
    aliases: lines(v.aliases),
    dateOfBirth: v.dateOfBirth || null,
    vulnerabilityFlags: lines(v.vulnerabilityFlags),
    access: { protectiveMarking: v.protectiveMarking, sharing: v.sharing },
  };
}
