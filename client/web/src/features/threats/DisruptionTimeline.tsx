import { formatDate, label } from '../../lib/ui';
import type { ThreatDetail } from './types';
import { levelColour } from '../../lib/level-colours';

const day = (value: unknown) => (typeof value === 'string' ? new Date(`${value.slice(0, 10)}T00:00:00Z`).getTime() : NaN);

/**
 * A threat's disruptions on a line from the first to the last date: one mark per disruption,
 * coloured by level, hollow until validated. Each mark names its date, level and status; the
 * table under it lists them all, for screen readers and for the detail.
 */
export function DisruptionTimeline({ disruptions }: { disruptions: ThreatDetail['disruptions'] }) {
  const dated = disruptions.filter((d) => !Number.isNaN(day(d.date))).sort((a, b) => day(a.date) - day(b.date));
  if (!dated.length) return null;
  const width = 640;
  const height = 70;
  const margin = 24;
  const first = day(dated[0].date);
  const span = Math.max(day(dated[dated.length - 1].date) - first, 1);
  const x = (d: (typeof dated)[number]) => (dated.length === 1 ? width / 2 : margin + ((day(d.date) - first) / span) * (width - 2 * margin));
  return (
    <svg viewBox={`0 0 ${width} ${height}`} width="100%" style={{ maxWidth: width }} role="img" aria-label={`Timeline of ${dated.length} disruptions from ${formatDate(dated[0].date)} to ${formatDate(dated[dated.length - 1].date)}; the table below lists them.`} data-testid="disruption-timeline">
      <line x1={margin} x2={width - margin} y1={30} y2={30} stroke="#6b6b6b" />
      {dated.map((d, i) => (
        <circle key={d.id} cx={x(d)} cy={i % 2 ? 24 : 36} r="7" fill={d.status === 'VALIDATED' ? levelColour[d.level] : '#fff'} stroke={levelColour[d.level]} strokeWidth="2.5">
          <title>{`${formatDate(d.date)}: ${label(d.level)}, ${label(d.status)}`}</title>
        </circle>
      ))}
      <text x={margin} y={62} fontSize="11" fill="#4a4a4a">
        {formatDate(dated[0].date)}
      </text>
      <text x={width - margin} y={62} fontSize="11" fill="#4a4a4a" textAnchor="end">
        {formatDate(dated[dated.length - 1].date)}
      </text>
    </svg>
  );
}
