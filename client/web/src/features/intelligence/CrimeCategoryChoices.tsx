import type { CrimeCategory } from '../../gql/graphql';
import { crimeCategories } from '../../lib/enums';
import { label } from '../../lib/ui';

/**
 * The crime categories a report mentions, as checkboxes. A report may tell of crime the threats it
 * is about do not list yet: the home page's insights compare the two.
 */
export function CrimeCategoryChoices({ value, onChange, errors }: { value: CrimeCategory[]; onChange: (value: CrimeCategory[]) => void; errors: string[] }) {
  const toggle = (category: CrimeCategory) => onChange(value.includes(category) ? value.filter((c) => c !== category) : [...value, category]);
  return (
    <fieldset className={errors.length ? 'field-invalid' : undefined}>
      <legend>Crime it mentions (optional)</legend>
      <p className="hint">Every kind of crime the intelligence tells of, including any the threat does not list yet.</p>
      {errors.map((m) => (
        <p key={m} className="field-error" role="alert">
          {m}
        </p>
      ))}
      {crimeCategories.map((category) => (
        <label key={category} className="check">
          <input type="checkbox" checked={value.includes(category)} onChange={() => toggle(category)} /> {label(category)}
        </label>
      ))}
    </fieldset>
  );
}

/** "Illegal drugs, fraud" for a report's page. */
export function crimeCategoriesInWords(categories: readonly CrimeCategory[]): string {
  return categories.map((c, i) => (i === 0 ? label(c) : label(c).toLowerCase())).join(', ');
}
