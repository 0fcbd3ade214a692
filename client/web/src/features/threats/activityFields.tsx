import { useId } from 'react';
import type { CrimeCategory, CriminalActivityInput } from '../../gql/graphql';
import { crimeCategories } from '../../lib/enums';
import { messagesFor, type FormErrors } from '../../lib/errors';
import { enumOptions, Field, label } from '../../lib/ui';

/** One criminal activity as a form holds it ('' for nothing chosen or entered yet). */
export interface ActivityValues {
  category: CrimeCategory | '';
  subCategory: string;
  description: string;
  firstIdentified: string;
  lastEvidenced: string;
}

export const blankActivity: ActivityValues = { category: '', subCategory: '', description: '', firstIdentified: '', lastEvidenced: '' };

/** Sub-categories people commonly record under each category, offered as suggestions (any other may be typed). */
const suggestedSubCategories: Record<CrimeCategory, string[]> = {
  ILLEGAL_DRUGS: ['COUNTY_LINES', 'CANNABIS_CULTIVATION', 'CUCKOOING'],
  MODERN_SLAVERY_HUMAN_TRAFFICKING: ['CHILD_CRIMINAL_EXPLOITATION', 'LABOUR_EXPLOITATION', 'SEXUAL_EXPLOITATION'],
  MONEY_LAUNDERING: ['CASH_BUSINESSES'],
  ILLEGAL_FIREARMS: ['CONVERTED_WEAPONS'],
  FRAUD: ['COURIER_FRAUD'],
  CYBER_CRIME: ['RANSOMWARE'],
  ORGANISED_ACQUISITIVE_CRIME: ['PLANT_THEFT'],
  ORGANISED_IMMIGRATION_CRIME: ['SMALL_BOATS'],
  BRIBERY_CORRUPTION_SANCTIONS_EVASION: ['SANCTIONS_EVASION'],
  CHILD_SEXUAL_ABUSE: ['ONLINE_GROOMING'],
};

/** "County lines" as the server records it (COUNTY_LINES); null when nothing was entered. */
export function subCategoryCode(text: string): string | null {
  const code = text
    .trim()
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return code || null;
}

/** An activity as the form shows it, from the activity as recorded. */
export function activityValues(a: { category: CrimeCategory; subCategory?: string | null; description?: string | null; firstIdentified: unknown; lastEvidenced?: unknown }): ActivityValues {
  return {
    category: a.category,
    subCategory: label(a.subCategory),
    description: a.description ?? '',
    firstIdentified: typeof a.firstIdentified === 'string' ? a.firstIdentified : '',
    lastEvidenced: typeof a.lastEvidenced === 'string' ? a.lastEvidenced : '',
  };
}

/**
 * What the form can tell before sending: a category and a first-identified date must be chosen,
 * as the request cannot be made without them. Everything else is the server's to check.
 */
export function missingActivityParts(a: ActivityValues, prefix: string): Record<string, string[]> {
  const missing: Record<string, string[]> = {};
  if (!a.category) missing[`${prefix}.category`] = ['is required'];
  if (!a.firstIdentified) missing[`${prefix}.firstIdentified`] = ['is required'];
  return missing;
}

/** The input the server takes; call only once missingActivityParts found nothing. */
export function activityInput(a: ActivityValues): CriminalActivityInput {
  return {
    category: a.category as CrimeCategory,
    subCategory: subCategoryCode(a.subCategory),
    description: a.description,
    firstIdentified: a.firstIdentified,
    lastEvidenced: a.lastEvidenced || null,
  };
}

/** The server's messages about an activity, in the words of the form rather than of the API. */
export function plainWords(message: string): string {
  return message
    .replace(/must be an UPPER_SNAKE_CASE code.*$/, 'use letters, numbers and spaces only, starting with a letter')
    .replace(/\bfirstIdentified\b/g, 'the date it was first identified')
    .replace(/\blastEvidenced\b/g, 'the date it was last evidenced')
    .replace(/\bNAMED_ORGANISATIONS\b/g, 'shared with named organisations');
}

export const plainMessages = (errors: FormErrors, field: string) => messagesFor(errors, field).map(plainWords);

/** The fields of one criminal activity; `prefix` is where the server reports its problems (e.g. activity, criminalActivities[0]). */
export function ActivityFields({ value, set, errors, prefix }: { value: ActivityValues; set: (changes: Partial<ActivityValues>) => void; errors: FormErrors; prefix: string }) {
  const listId = useId();
  const suggestions = value.category ? suggestedSubCategories[value.category] : [];
  return (
    <>
      <div className="row">
        <Field label="Category" errors={plainMessages(errors, `${prefix}.category`)}>
          {(p) => (
            <select {...p} aria-required value={value.category} onChange={(e) => set({ category: e.target.value as CrimeCategory })}>
              <option value="">Choose…</option>
              {enumOptions(crimeCategories)}
            </select>
          )}
        </Field>
        <Field label="Sub-category (optional)" hint="For example County lines." errors={plainMessages(errors, `${prefix}.subCategory`)}>
          {(p) => <input {...p} list={listId} value={value.subCategory} onChange={(e) => set({ subCategory: e.target.value })} />}
        </Field>
        <datalist id={listId}>
          {suggestions.map((s) => (
            <option key={s} value={label(s)} />
          ))}
        </datalist>
      </div>
      <Field label="Description" errors={plainMessages(errors, `${prefix}.description`)}>
        {(p) => <textarea {...p} rows={2} aria-required value={value.description} onChange={(e) => set({ description: e.target.value })} />}
      </Field>
      <div className="row">
        <Field label="First identified" errors={plainMessages(errors, `${prefix}.firstIdentified`)}>
          {(p) => <input {...p} type="date" aria-required value={value.firstIdentified} onChange={(e) => set({ firstIdentified: e.target.value })} />}
        </Field>
        <Field label="Last evidenced (optional)" errors={plainMessages(errors, `${prefix}.lastEvidenced`)}>
          {(p) => <input {...p} type="date" value={value.lastEvidenced} onChange={(e) => set({ lastEvidenced: e.target.value })} />}
        </Field>
      </div>
    </>
  );
}

/** The roles that may record threats and change their activities (server/src/access/mutation-roles.ts, INTELLIGENCE). */
const intelligenceRoles = ['ANALYST', 'INTELLIGENCE_OFFICER', 'INVESTIGATOR', 'LRO', 'SRO', 'OCG_COORDINATOR', 'THREAT_ASSESSOR'];

export const mayRecordThreats = (roles: readonly string[]) => roles.some((r) => intelligenceRoles.includes(r));
