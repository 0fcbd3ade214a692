import { Link } from 'react-router-dom';
import type { ThreatDetail } from './types';

type Links = NonNullable<ThreatDetail['linkedThreats']>;

const size = 320;
const centre = size / 2;
const radius = 115;

/**
 * This threat in the middle and the threats linked to it around it, drawn in SVG. Each linked
 * threat is a link (keyboard focusable, named by its URN, name and the reason for the link); a
 * linked threat you may not see is a grey node named as such. The list beside it says the same.
 */
export function ThreatNetwork({ threat, links }: { threat: Pick<ThreatDetail, 'urn' | 'name'>; links: Links }) {
  if (!links.length) return null;
  const at = (i: number) => {
    const angle = (2 * Math.PI * i) / links.length - Math.PI / 2;
    return { x: centre + radius * Math.cos(angle), y: centre + radius * Math.sin(angle) };
  };
  return (
    <svg className="network" viewBox={`0 0 ${size} ${size}`} width="100%" style={{ maxWidth: size }} role="group" aria-label={`${threat.name} and its ${links.length} linked threats`} data-testid="threat-network">
      {links.map((_, i) => (
        <line key={i} x1={centre} y1={centre} x2={at(i).x} y2={at(i).y} stroke="#6b6b6b" strokeWidth="1.5" aria-hidden="true" />
      ))}
      <g aria-hidden="true">
        <circle cx={centre} cy={centre} r="22" fill="#12263f" />
        <text x={centre} y={centre + 4} textAnchor="middle" fontSize="10" fill="#fff">
          {threat.urn.slice(-6)}
        </text>
      </g>
      {links.map((l, i) => {
        const { x, y } = at(i);
        const name = l.threat ? `${l.threat.urn} ${l.threat.name}: ${l.reason}` : `A threat not visible to you: ${l.reason}`;
        const node = (
          <>
            <title>{name}</title>
            <circle cx={x} cy={y} r="16" fill={l.threat ? '#1d5fa8' : '#9aa5b1'} />
            <text x={x} y={y + 30} textAnchor="middle" fontSize="10" fill="#1b1b1b">
              {l.threat ? l.threat.name.slice(0, 22) : 'not visible'}
            </text>
          </>
        );
        return l.threat ? (
          <Link key={l.threat.id} to={`/threats/${l.threat.id}`} aria-label={name}>
            {node}
          </Link>
        ) : (
          <g key={`hidden-${i}`} role="img" aria-label={name}>
            {node}
          </g>
        );
      })}
    </svg>
  );
}
