import type { AssessmentFieldsFragment, ProtectiveMarking } from '../../gql/graphql';
import { label } from '../../lib/ui';
import { groups, type ModelDefinition } from './model';

/** The record's protective marking, at the top and foot of the page as on a paper document. */
export function Marking({ marking }: { marking: ProtectiveMarking }) {
  return (
    <p className="marking" data-testid="marking">
      Protective marking: <strong>{label(marking)}</strong>
    </p>
  );
}

/** Every factor's score as recorded, with the scale's words for it. */
export function ScoresTable({ assessment, model }: { assessment: AssessmentFieldsFragment; model: ModelDefinition | null }) {
  const words = (point: number) => model?.scale.labels[point] ?? '';
  return (
    <table className="list scores">
      <caption className="visually-hidden">Scores given to each factor</caption>
      <thead>
        <tr>
          <th scope="col">Factor</th>
          <th scope="col">Score</th>
        </tr>
      </thead>
      {groups.map((g) => (
        <tbody key={g.key}>
          <tr>
            <th scope="rowgroup" colSpan={2}>
              {g.title}
            </th>
          </tr>
          {g.factors.map(([factor, title]) => {
            const point = (assessment[g.key] as unknown as Record<string, number>)[factor];
            return (
              <tr key={factor}>
                <td>{title}</td>
                <td>
                  {point} {words(point)}
                </td>
              </tr>
            );
          })}
        </tbody>
      ))}
    </table>
  );
}
