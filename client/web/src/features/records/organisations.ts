import { useQuery } from 'urql';
import { graphql } from '../../gql';

const OrganisationsDocument = graphql(`
  query Organisations {
    organisations(first: 100) {
      edges {
        node {
          id
          code
          name
          isLawEnforcement
        }
      }
    }
  }
`);

/** The partnership's organisations (a short, slow-changing list: read from the cache). */
export function useOrganisations() {
  const [{ data }] = useQuery({ query: OrganisationsDocument, requestPolicy: 'cache-first' });
  return data?.organisations.edges.map((e) => e.node) ?? [];
}
