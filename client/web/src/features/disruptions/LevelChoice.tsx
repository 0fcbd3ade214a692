import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { DisruptionLevel } from '../../gql/graphql';
import { label } from '../../lib/ui';

const DisruptionRulesDocument = graphql(`
  query DisruptionRules {
    disruptionRules {
      lateAfterDays
      note
      levels {
        level
        definition
        counts
      }
    }
  }
`);

/** The national levels as radio buttons, each explained beside the choice (from disruptionRules). */
export function LevelChoice({ name, value, onChange, errors = [], legend }: { name: string; value: DisruptionLevel | ''; onChange: (level: DisruptionLevel) => void; errors?: string[]; legend: string }) {
  const [{ data }] = useQuery({ query: DisruptionRulesDocument, requestPolicy: 'cache-first' });
  const rules = data?.disruptionRules;
  return (
    <fieldset className={errors.length ? 'field field-invalid levels' : 'field levels'} aria-describedby={errors.length ? `${name}-error` : undefined}>
      <legend>{legend}</legend>
      {errors.length > 0 && (
        <div id={`${name}-error`} className="field-error" role="alert">
          {errors.join(' ')}
        </div>
      )}
      {rules?.levels.map((l) => (
        <label key={l.level} className="level">
          <input type="radio" name={name} value={l.level} checked={value === l.level} onChange={() => onChange(l.level)} />
          <span>
            <strong>{label(l.level)}</strong> {l.counts ? '(counts)' : '(does not count)'}
            <span className="hint"> {l.definition}</span>
          </span>
        </label>
      ))}
      {rules && <p className="hint">Reported more than {rules.lateAfterDays} days after the date, a disruption is flagged late.{rules.note ? ` ${rules.note}` : ''}</p>}
    </fieldset>
  );
}
