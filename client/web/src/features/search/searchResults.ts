import { graphql } from '../../gql';
import type { FindAnythingQuery } from '../../gql/graphql';
import { formatDate, label } from '../../lib/ui';
import { referralStatusLabels, referralTypeShort } from '../referrals/referralWords';

/** One search over every kind of record the user may see (the server's `search`: each kind through its own list). */
export const FindAnythingDocument = graphql(`
  query FindAnything($text: String!, $first: Int) {
    search(text: $text, first: $first) {
      text
      countLimit
      threats {
        totalCount
        edges {
          node {
            id
            urn
            name
            status
          }
        }
      }
      people {
        totalCount
        edges {
          node {
            id
            name
          }
        }
      }
      plans {
        totalCount
        edges {
          node {
            id
            status
            threat {
              id
              urn
              name
            }
          }
        }
      }
      disruptions {
        totalCount
        edges {
          node {
            id
            date
            level
            status
            threat {
              id
              name
            }
          }
        }
      }
      referrals {
        totalCount
        edges {
          node {
            id
            reference
            referralType
            status
          }
        }
      }
      practices {
        totalCount
        edges {
          node {
            id
            title
          }
        }
      }
      intelligence {
        totalCount
        edges {
          node {
            id
            reference
            receivedOn
            protectiveMarking
          }
        }
      }
    }
  }
`);

export interface Hit {
  id: string;
  to: string;
  text: string;
  hint: string;
}

export interface HitGroup {
  kind: string;
  heading: string;
  total: number;
  hits: Hit[];
  /** "5 of 12", "5 of more than 100" (the server counts each kind up to a limit), or "3". */
  count: string;
}

/** How many were found in all, in words: "12", or "more than 105" when a kind was counted only so far. */
export function foundInAll(search: FindAnythingQuery['search'], groups: HitGroup[]): string {
  const capped = groups.some((g) => g.total > search.countLimit);
  const sum = groups.reduce((n, g) => n + Math.min(g.total, search.countLimit), 0);
  return capped ? `more than ${sum}` : String(sum);
}

/** The fewest characters the server searches for (trigram indexes: fewer find nothing to look up). */
export const SEARCH_MIN_LENGTH = 3;

/** The results as groups of plain-English hits, each with the screen that opens it. */
export function groupsOf(search: FindAnythingQuery['search']): HitGroup[] {
  const groups: Omit<HitGroup, 'count'>[] = [
    {
      kind: 'threats',
      heading: 'Threats',
      total: search.threats.totalCount,
      hits: search.threats.edges.map(({ node: t }) => ({ id: t.id, to: `/threats/${t.id}`, text: `${t.urn} ${t.name}`, hint: label(t.status) })),
    },
    {
      kind: 'people',
      heading: 'People',
      total: search.people.totalCount,
      hits: search.people.edges.map(({ node: n }) => ({ id: n.id, to: `/people/${n.id}`, text: n.name, hint: 'Person' })),
    },
    {
      kind: 'plans',
      heading: '4P plans',
      total: search.plans.totalCount,
      hits: search.plans.edges.map(({ node: p }) => ({ id: p.id, to: `/plans/${p.id}`, text: `Plan for ${p.threat.urn} ${p.threat.name}`, hint: label(p.status) })),
    },
    {
      kind: 'disruptions',
      heading: 'Disruptions',
      total: search.disruptions.totalCount,
      hits: search.disruptions.edges.map(({ node: d }) => ({
        id: d.id,
        to: `/disruptions/${d.id}`,
        text: `${label(d.level)} disruption of ${d.threat.name}, ${formatDate(d.date)}`,
        hint: label(d.status),
      })),
    },
    {
      kind: 'referrals',
      heading: 'Referrals',
      total: search.referrals.totalCount,
      hits: search.referrals.edges.map(({ node: r }) => ({
        id: r.id,
        to: `/referrals/${r.id}`,
        text: `${r.reference} ${referralTypeShort[r.referralType]}`,
        hint: referralStatusLabels[r.status],
      })),
    },
    {
      kind: 'practices',
      heading: 'Practice',
      total: search.practices.totalCount,
      hits: search.practices.edges.map(({ node: p }) => ({ id: p.id, to: `/practice?q=${encodeURIComponent(p.title)}`, text: p.title, hint: 'Practice entry' })),
    },
    {
      kind: 'intelligence',
      heading: 'Intelligence',
      total: search.intelligence.totalCount,
      hits: search.intelligence.edges.map(({ node: r }) => ({
        id: r.id,
        to: `/intelligence/${encodeURIComponent(r.id)}`,
        text: `${r.reference}, received ${formatDate(r.receivedOn)}`,
        hint: `Intelligence, marked ${label(r.protectiveMarking)}`,
      })),
    },
  ];
  const counted = (g: Omit<HitGroup, 'count'>): HitGroup => {
    const total = g.total > search.countLimit ? `more than ${search.countLimit}` : String(g.total);
    return { ...g, count: g.total > g.hits.length ? `${g.hits.length} of ${total}` : total };
  };
  return groups.filter((g) => g.total > 0).map(counted);
}
