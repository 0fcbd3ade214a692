import type { ReactNode } from 'react';
import type { PlanProblemCode, Strand } from '../../gql/graphql';

interface Problem {
  code: PlanProblemCode;
  message: string;
  strand?: Strand | null;
  criminalActivity?: { id: string } | null;
  /** Against a draft being typed (plan editor): resolving, brought in by it, or still open. */
  state?: 'open' | 'resolving' | 'new';
}

const keyOf = (p: Problem) => `${p.code}:${p.strand ?? ''}:${p.criminalActivity?.id ?? ''}:${p.message}`;

/**
 * The quality gate's named problems, as the server computed them. In the plan editor each also
 * says whether what the user is typing resolves it or brings it in (the server's preview decides),
 * and `action` may offer beside a problem what fixes it.
 */
export function QualityProblems({ problems, action }: { problems: Problem[]; /** What the user can do about a problem, offered beside it (e.g. record the overdue review). */ action?: (problem: Problem) => ReactNode }) {
  if (!problems.length) return <p className="good">Passes the quality gate.</p>;
  return (
    <ul className="problems" aria-label="Quality gate problems">
      {problems.map((p) => (
        <li key={keyOf(p)} className={p.state === 'resolving' || p.state === 'new' ? p.state : undefined}>
          {p.message}
          {p.state === 'resolving' && <span className="hint"> (resolved once what you are typing is saved)</span>}
          {p.state === 'new' && <span className="hint"> (with what you are typing)</span>}
          {action?.(p)}
        </li>
      ))}
    </ul>
  );
}
