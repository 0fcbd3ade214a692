import type { PlanProblemCode } from '../../gql/graphql';

/** The quality gate's named problems, as the server computed them. */
export function QualityProblems({ problems }: { problems: { code: PlanProblemCode; message: string }[] }) {
  if (!problems.length) return <p className="good">Passes the quality gate.</p>;
  return (
    <ul className="problems" aria-label="Quality gate problems">
      {problems.map((p) => (
        <li key={`${p.code}-${p.message}`}>{p.message}</li>
      ))}
    </ul>
  );
}
