import { useId } from 'react';
import type { DisruptionLevel } from '../../gql/graphql';
import { disruptionLevels } from '../../lib/enums';
import { label } from '../../lib/ui';
import { levelColour } from '../../lib/level-colours';

export interface QuarterLevelRow {
  fiscalYear?: string | null;
  quarter?: string | null;
  level?: DisruptionLevel | null;
  count: number;
}

/** The most recent quarters drawn; older ones are in the table. */
const QUARTERS_DRAWN = 8;

interface Quarter {
  key: string;
  year: string;
  quarter: string;
  counts: Record<DisruptionLevel, number>;
  total: number;
}

/** "2025/26 Q1" groups, oldest first, each with its count per level. */
export function byQuarter(rows: readonly QuarterLevelRow[]): Quarter[] {
  const quarters = new Map<string, Quarter>();
  for (const row of rows) {
    if (!row.fiscalYear || !row.quarter || !row.level) continue;
    const key = `${row.fiscalYear} ${row.quarter}`;
    const q = quarters.get(key) ?? { key, year: row.fiscalYear, quarter: row.quarter, counts: { MAJOR: 0, MODERATE: 0, MINOR: 0, NONE: 0, NEGATIVE: 0 }, total: 0 };
    q.counts[row.level] += row.count;
    q.total += row.count;
    quarters.set(key, q);
  }
  return [...quarters.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/**
 * Validated disruptions per quarter, stacked by agreed level: hand-drawn SVG (a few rectangles
 * need no chart library, and the first page stays small). The picture is for sighted users; the
 * table after it holds every figure, for screen readers and for anyone who wants the numbers.
 */
export function DisruptionChart({ rows }: { rows: readonly QuarterLevelRow[] }) {
  const titleId = useId();
  const quarters = byQuarter(rows);
  if (!quarters.length) return <p>No validated disruptions yet.</p>;
  const drawn = quarters.slice(-QUARTERS_DRAWN);
  const max = Math.max(...drawn.map((q) => q.total), 1);
  const width = 560;
  const height = 220;
  const plot = { left: 36, bottom: 36, top: 10 };
  const barWidth = (width - plot.left) / drawn.length;
  const scale = (n: number) => (n / max) * (height - plot.bottom - plot.top);
  const ticks = [0, Math.ceil(max / 2), max];
  return (
    <figure className="chart" data-testid="disruption-chart">
      <div className="chart-picture">
        <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={titleId} width="100%" style={{ maxWidth: width }}>
          <title id={titleId}>
            Validated disruptions per quarter, stacked by level, for the last {drawn.length} quarters. The table with it has every figure.
          </title>
          {ticks.map((t) => (
            <g key={t} aria-hidden="true">
              <line x1={plot.left} x2={width} y1={height - plot.bottom - scale(t)} y2={height - plot.bottom - scale(t)} stroke="#c8c8c8" />
              <text x={plot.left - 6} y={height - plot.bottom - scale(t) + 4} textAnchor="end" fontSize="11" fill="#4a4a4a">
                {t}
              </text>
            </g>
          ))}
          {drawn.map((q, i) => {
            let y = height - plot.bottom;
            const x = plot.left + i * barWidth + barWidth * 0.15;
            return (
              <g key={q.key} data-quarter={q.key}>
                {disruptionLevels.map((level) => {
                  const h = scale(q.counts[level]);
                  if (!h) return null;
                  y -= h;
                  return (
                    <rect key={level} x={x} y={y} width={barWidth * 0.7} height={h} fill={levelColour[level]} stroke="#fff" strokeWidth="1" data-level={level} data-count={q.counts[level]}>
                      <title>{`${q.key}, ${label(level)}: ${q.counts[level]}`}</title>
                    </rect>
                  );
                })}
                <text x={x + barWidth * 0.35} y={height - plot.bottom + 14} textAnchor="middle" fontSize="11" fill="#1b1b1b" aria-hidden="true">
                  {q.quarter}
                </text>
                <text x={x + barWidth * 0.35} y={height - plot.bottom + 27} textAnchor="middle" fontSize="10" fill="#4a4a4a" aria-hidden="true">
                  {q.year}
                </text>
              </g>
            );
          })}
        </svg>
        <figcaption>
          <ul className="legend" aria-label="Levels">
            {disruptionLevels.map((level) => (
              <li key={level}>
                <span className="swatch" style={{ background: levelColour[level] }} aria-hidden="true" /> {label(level)}
              </li>
            ))}
          </ul>
        </figcaption>
      </div>
      <QuarterTable quarters={quarters} />
    </figure>
  );
}

function QuarterTable({ quarters }: { quarters: Quarter[] }) {
  return (
      <table data-testid="disruption-figures">
        <caption className="hint">The figures: validated disruptions by quarter and agreed level</caption>
        <thead>
          <tr>
            <th scope="col">Quarter</th>
            {disruptionLevels.map((level) => (
              <th key={level} scope="col">
                {label(level)}
              </th>
            ))}
            <th scope="col">All</th>
          </tr>
        </thead>
        <tbody>
          {quarters.map((q) => (
            <tr key={q.key}>
              <th scope="row">{q.key}</th>
              {disruptionLevels.map((level) => (
                <td key={level} className="num" data-level={level}>
                  {q.counts[level]}
                </td>
              ))}
              <td className="num">{q.total}</td>
            </tr>
          ))}
        </tbody>
      </table>
  );
}
