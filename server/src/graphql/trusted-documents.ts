import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { RequestHandler } from 'express';
import { GraphQLError, Kind, parse, print, visit, type SelectionNode } from 'graphql';
import { decodeJwt } from 'jose';
import { bearerToken } from '../auth/authenticate';
import type { Config } from '../config';
import { projectRoot } from '../project-root';

/**
 * Trusted documents: the web client's operations, extracted at build time by GraphQL Code
 * Generator (codegen.yml: persisted documents) and shipped with the built client as
 * dist/client/trusted-documents.json (SHA-256 of the document → its text).
 *
 * - Any caller may name one of them by hash instead of sending its text (the web client always
 *   does: `extensions.persistedQuery.sha256Hash`), which keeps its requests small.
 * - In production a person's browser session (a token from the organisation's OpenID Connect
 *   provider) may run only these documents: someone holding a stolen session can ask only what
 *   the web client asks. API keys and development tokens, which scripts use, may still send any
 *   document within the limits.
 *
 * Apollo's own automatic persisted queries are off (app.ts): they would let anyone register a
 * document under a hash.
 */

const MANIFEST = path.join('dist', 'client', 'trusted-documents.json');

export type TrustedDocuments = ReadonlyMap<string, string>;

/** The built client's documents; none when the client has not been built. */
export function loadTrustedDocuments(root = projectRoot()): TrustedDocuments {
  const file = path.join(root, MANIFEST);
  if (!fs.existsSync(file)) return new Map();
  return new Map(Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>));
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function refuse(res: Parameters<RequestHandler>[1], code: string, message: string) {
  res.status(400).json({ errors: [{ message, extensions: { code } }] });
}

/** Whether the bearer token was issued by the organisation's identity provider: a person's session. */
function isBrowserSession(authorization: string | undefined, config: Config): boolean {
  const token = bearerToken(authorization);
  if (!token || !config.oidcIssuer) return false;
  try {
    return decodeJwt(token).iss === config.oidcIssuer;
  } catch {
    return false; // not a JWT: an API key, or nothing the verifier will accept
  }
}

/**
 * Express middleware for `/graphql`, after the JSON body is parsed and before Apollo: a document
 * named by hash gets its text, from the trusted documents only.
 */
export function trustedDocumentsByHash(documents: TrustedDocuments): RequestHandler {
  return (req, res, next) => {
    const params = req.body as Record<string, any> | undefined;
    const persisted = params && typeof params.extensions === 'object' ? params.extensions?.persistedQuery : undefined;
    if (persisted === undefined) return next();
    const hash = typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash : '';
    const text = documents.get(hash);
    if (!text) return refuse(res, 'PERSISTED_QUERY_NOT_FOUND', 'No document of the web client has this hash: the client may be out of date; reload the page.');
    if (params!.query !== undefined && params!.query !== text) return refuse(res, 'BAD_REQUEST', 'The document does not match its hash.');
    params!.query = text;
    delete params!.extensions.persistedQuery;
    next();
  };
}

/**
 * In production, refuses a browser session's document unless it is a trusted one. An Apollo
 * plugin, so it runs once the caller is signed in: a bad token still gets its 401 first.
 */
export function trustedDocumentsOnly(config: Config, documents: TrustedDocuments): ApolloServerPlugin<BaseContext> {
  const check = trustedDocumentCheck(config, documents);
  return {
    async requestDidStart({ request }) {
      const authorization = request.http?.headers.get('authorization') ?? undefined;
      if (!check.applies(authorization)) return;
      return {
        async didResolveOperation({ source }) {
          const refusal = check.refusal(authorization, source);
          if (refusal) throw refusal;
        },
      };
    },
  };
}

/**
 * The rule on its own, for both transports (over WebSocket the session's authorization is the one
 * sent in connection_init): in production a browser session's document must be a trusted one.
 */
export function trustedDocumentCheck(config: Config, documents: TrustedDocuments) {
  const hashes = new Set(documents.keys());
  // Over WebSocket the client sends the document's text as written in its source, while the
  // manifest holds it as codegen normalised it (selections sorted): compared in one canonical
  // form, so layout and order are not mistaken for a different document.
  const printed = new Set([...documents.values()].map(normalisedHash));
  const applies = (authorization: string | undefined) => config.nodeEnv === 'production' && isBrowserSession(authorization, config);
  // Texts already found trusted: a session sends the same few documents again and again, and
  // hashing, parsing and printing each one again was 3% of the server's CPU under node(id) load.
  const trustedTexts = new Set<string>();
  const isTrusted = (source: string) => {
    if (trustedTexts.has(source)) return true;
    if (!hashes.has(sha256(source)) && !printed.has(normalisedHash(source))) return false;
    if (trustedTexts.size >= MAX_REMEMBERED_TEXTS) trustedTexts.clear();
    trustedTexts.add(source);
    return true;
  };
  return {
    applies,
    refusal(authorization: string | undefined, source: string): GraphQLError | undefined {
      if (!applies(authorization) || isTrusted(source)) return undefined;
      return new GraphQLError("A browser session may run only the web client's own operations, sent by hash.", {
        extensions: { code: 'TRUSTED_DOCUMENT_REQUIRED', http: { status: 400 } },
      });
    },
  };
}

/** Trusted texts remembered at most (layouts of the same documents: a client cannot grow it past this). */
const MAX_REMEMBERED_TEXTS = 1_000;

function normalisedHash(source: string): string {
  try {
    return sha256(print(visit(parse(source), { SelectionSet: { leave: (node) => ({ ...node, selections: [...node.selections].sort(bySelection) }) } })));
  } catch {
    return ''; // not a document: never a trusted one
  }
}

/** Fields (by response name), then inline fragments (by type), then fragment spreads (by name). */
function selectionKey(s: SelectionNode): string {
  if (s.kind === Kind.FIELD) return `0 ${s.alias?.value ?? s.name.value}`;
  if (s.kind === Kind.INLINE_FRAGMENT) return `1 ${s.typeCondition?.name.value ?? ''} ${print(s)}`;
  return `2 ${s.name.value}`;
}

const bySelection = (a: SelectionNode, b: SelectionNode) => (selectionKey(a) < selectionKey(b) ? -1 : selectionKey(a) > selectionKey(b) ? 1 : 0);
