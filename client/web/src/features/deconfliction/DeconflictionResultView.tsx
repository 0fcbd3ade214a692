import type { IdentifierKind, MatchStrength } from '../../gql/graphql';
import { kindInSentence, strengthWords } from './deconflictionWords';

export interface ResultShape {
  matched: boolean;
  matches: readonly { organisation: { id: string; name: string }; contact: string; kind: IdentifierKind; strength: MatchStrength }[];
}

/**
 * Hit or no hit in plain words, with whom to contact. Nothing more is known here: the holder's
 * record stays theirs. Deconfliction results are handled as OFFICIAL-SENSITIVE (docs/domain.md).
 */
export function DeconflictionResultView({ kind, result }: { kind: IdentifierKind; result: ResultShape }) {
  return (
    <section className={result.matched ? 'deconfliction hit' : 'deconfliction'} aria-labelledby="deconfliction-result" data-testid="deconfliction-result">
      <p className="marking">Official-Sensitive</p>
      <h2 id="deconfliction-result">{result.matched ? 'Hit: another organisation holds this' : 'No hit'}</h2>
      {result.matched ? (
        <ul>
          {result.matches.map((m) => (
            <li key={m.organisation.id}>
              <strong>{m.organisation.name}</strong> holds {kindInSentence[m.kind]} ({strengthWords[m.strength]}). Contact {m.contact} before you act. They have been told
              that your organisation has an interest.
            </li>
          ))}
        </ul>
      ) : (
        <p>No other organisation holds {kindInSentence[kind]}.</p>
      )}
    </section>
  );
}
