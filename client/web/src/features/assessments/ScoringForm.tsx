import type { AssessmentMethod, Confidence } from '../../gql/graphql';
import { messagesFor, type FormErrors } from '../../lib/errors';
import { Field, label, PriorityBadge, Value } from '../../lib/ui';
import { compute, confidenceLabels, factorCount, groups, methodLabels, scored, share, type GroupKey, type ModelDefinition, type Scores } from './model';

/** What the assessor is entering: every factor, the method, confidence, rationale and review date. */
export interface ScoringValues {
  method: AssessmentMethod;
  scores: Scores;
  confidence: Confidence | null;
  rationale: string;
  reviewDue: string;
}

const methods = Object.keys(methodLabels) as AssessmentMethod[];
const confidences = Object.keys(confidenceLabels) as Confidence[];

/** One factor: its name, definition and weight, and the model's scale as radio buttons. */
function FactorChoice({ model, group, factor, title, definition, value, onChange, errors }: {
  model: ModelDefinition; group: GroupKey; factor: string; title: string; definition: string; value: number | null; onChange: (v: number) => void; errors: string[];
}) {
  const name = `${group}-${factor}`;
  return (
    <fieldset className={errors.length ? 'factor field-invalid' : 'factor'} aria-describedby={`${name}-definition${errors.length ? ` ${name}-error` : ''}`}>
      <legend>{title}</legend>
      <div id={`${name}-definition`} className="hint">
        {definition} Counts for {share(model, group, factor)}% of {group === 'organisationalPosition' ? 'the organisational position' : group}.
      </div>
      {errors.length > 0 && (
        <div id={`${name}-error`} className="field-error" role="alert">
          {errors.join(' ')}
        </div>
      )}
      <div className="scale">
        {model.scale.labels.map((text, point) => (
          <label key={point} className="check">
            <input type="radio" name={name} value={point} checked={value === point} onChange={() => onChange(point)} />
            <span>
              {point} {text}
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

const outOf100 = (n: number | null) => (n == null ? null : `${n} out of 100`);

/** The score and band as the server will compute them, updated as each factor is scored. */
export function LiveScore({ model, values }: { model: ModelDefinition; values: ScoringValues }) {
  const c = compute(model, values.scores, values.confidence);
  const done = scored(values.scores);
  return (
    <section className="score-summary" aria-labelledby="live-score">
      <h2 id="live-score">Resulting score</h2>
      <div role="status" aria-live="polite" data-testid="live-score">
        <dl className="facts">
          <dt>Harm</dt>
          <dd>
            <Value empty="score every harm factor">{outOf100(c.harmScore)}</Value>
          </dd>
          <dt>Likelihood</dt>
          <dd>
            <Value empty="score every likelihood factor">{outOf100(c.likelihoodScore)}</Value>
          </dd>
          <dt>Risk score</dt>
          <dd data-testid="risk-score">
            <Value empty={values.confidence ? 'score harm and likelihood' : 'score harm and likelihood, and choose a confidence'}>{c.riskScore == null ? null : String(c.riskScore)}</Value>
          </dd>
          <dt>Priority</dt>
          <dd data-testid="priority">{c.priority ? <PriorityBadge priority={c.priority} /> : <span className="empty">not yet known</span>}</dd>
          <dt>Organisational position</dt>
          <dd>
            <Value empty="score every position factor">{outOf100(c.organisationalPositionScore)}</Value>
          </dd>
        </dl>
        <p className="hint">
          {done} of {factorCount} factors scored.
        </p>
      </div>
      <p className="hint">
        Risk is harm × likelihood ÷ 100, reduced when confidence is medium (× {model.confidenceFactor.MEDIUM}) or low (× {model.confidenceFactor.LOW}). Priority bands:{' '}
        {model.priorityBands.map((b, i, all) => (i === all.length - 1 ? `${label(b.band)} below ${all[i - 1]?.minRisk ?? 0}` : `${label(b.band)} from ${b.minRisk}`)).join(', ')}.
      </p>
    </section>
  );
}

/** Scoring a threat or activity against the model in force: every factor with its scale and definition. */
export function ScoringForm({ model, values, onChange, errors }: { model: ModelDefinition; values: ScoringValues; onChange: (v: ScoringValues) => void; errors: FormErrors }) {
  const setScore = (group: GroupKey, factor: string, point: number) =>
    onChange({ ...values, scores: { ...values.scores, [group]: { ...values.scores[group], [factor]: point } } });
  return (
    <>
      <Field label="Method" errors={messagesFor(errors, 'method')}>
        {(p) => (
          <select {...p} value={values.method} onChange={(e) => onChange({ ...values, method: e.target.value as AssessmentMethod })}>
            {methods.map((m) => (
              <option key={m} value={m}>
                {methodLabels[m]}
              </option>
            ))}
          </select>
        )}
      </Field>
      {groups.map((g) => (
        <section key={g.key} aria-labelledby={`group-${g.key}`}>
          <h2 id={`group-${g.key}`}>{g.title}</h2>
          <p className="hint">{g.intro}</p>
          {g.factors.map(([factor, title, definition]) => (
            <FactorChoice
              key={factor}
              model={model}
              group={g.key}
              factor={factor}
              title={title}
              definition={definition}
              value={(values.scores[g.key] as Record<string, number | null>)[factor]}
              onChange={(point) => setScore(g.key, factor, point)}
              errors={messagesFor(errors, `${g.key}.${factor}`)}
            />
          ))}
        </section>
      ))}
      <h2>Confidence and rationale</h2>
      <fieldset className={messagesFor(errors, 'confidence').length ? 'factor field-invalid' : 'factor'} aria-describedby="confidence-hint">
        <legend>Confidence in the intelligence</legend>
        <div id="confidence-hint" className="hint">
          How sure you are of what the scores rest on. Medium confidence multiplies the risk by {model.confidenceFactor.MEDIUM}, low by {model.confidenceFactor.LOW}.
        </div>
        <div className="scale">
          {confidences.map((c) => (
            <label key={c} className="check">
              <input type="radio" name="confidence" value={c} checked={values.confidence === c} onChange={() => onChange({ ...values, confidence: c })} />
              <span>{confidenceLabels[c]}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <Field label="Rationale" hint="Required: why these scores, and what they rest on." errors={messagesFor(errors, 'rationale')}>
        {(p) => <textarea {...p} rows={5} value={values.rationale} onChange={(e) => onChange({ ...values, rationale: e.target.value })} />}
      </Field>
      <Field label="Review due (optional)" errors={messagesFor(errors, 'reviewDue')}>
        {(p) => <input {...p} type="date" value={values.reviewDue} onChange={(e) => onChange({ ...values, reviewDue: e.target.value })} />}
      </Field>
    </>
  );
}

/** The values as the create and revise inputs take them, or null while something required is missing. */
export function scoringInput(values: ScoringValues) {
  if (!values.confidence || scored(values.scores) !== factorCount) return null;
  return {
    method: values.method,
    harm: values.scores.harm as Record<keyof Scores['harm'], number>,
    likelihood: values.scores.likelihood as Record<keyof Scores['likelihood'], number>,
    organisationalPosition: values.scores.organisationalPosition as Record<keyof Scores['organisationalPosition'], number>,
    confidence: values.confidence,
    rationale: values.rationale,
    reviewDue: values.reviewDue || null,
  };
}

/** What still stops saving, in plain words (none when the form can be saved). */
export function missing(values: ScoringValues): string[] {
  const out: string[] = [];
  const left = factorCount - scored(values.scores);
  if (left) out.push(`score ${left} more ${left === 1 ? 'factor' : 'factors'}`);
  if (!values.confidence) out.push('choose a confidence');
  if (!values.rationale.trim()) out.push('write a rationale');
  return out;
}
