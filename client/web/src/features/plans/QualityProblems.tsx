import type { PlanProblemCode, Strand } from '../../gql/graphql';
import { useIsDrafting } from './drafts';

interface Problem {
  code: PlanProblemCode;
  message: string;
  strand?: Strand | null;
}

/**
 * The quality gate's named problems, as the server computed them. With `planId`, a strand with no
 * objective that the user is typing one for shows that problem as resolved once saved, as they type.
 */
export function QualityProblems({ problems, planId }: { problems: Problem[]; planId?: string }) {
  const isDrafting = useIsDrafting();
  if (!problems.length) return <p className="good">Passes the quality gate.</p>;
  const resolving = (p: Problem) => !!planId && p.code === 'MISSING_STRAND' && isDrafting(planId, p.strand);
  return (
    <ul className="problems" aria-label="Quality gate problems">
      {problems.map((p) => (
        <li key={`${p.code}-${p.message}`} className={resolving(p) ? 'resolving' : undefined}>
          {p.message}
          {resolving(p) && <span className="hint"> (resolved once the objective you are typing is saved)</span>}
        </li>
      ))}
    </ul>
  );
}
