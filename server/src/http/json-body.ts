import express, { type RequestHandler } from 'express';

/**
 * `express.json({ limit })`, with the request every GraphQL client sends read directly: a body
 * declared `application/json` in UTF-8, not compressed, whose Content-Length is within the limit.
 * For that request body-parser's general reader (charset and encoding negotiation, a decoder
 * stream, its listeners and bookkeeping) was the largest share of a small query's CPU outside
 * the operation itself (docs/benchmarks.md). Every other request (chunked, compressed, another
 * charset, over the limit, not JSON) goes to body-parser, which answers each as before; a body
 * read here fails as body-parser's would (the same `status` and `type`, for request-errors.ts).
 */
export function jsonBody(limitBytes: number): RequestHandler {
  const general = express.json({ limit: limitBytes });
  return (req, res, next) => {
    const length = Number(req.headers['content-length']);
    const plain = isPlainJson(req.headers['content-type']) && req.headers['content-encoding'] === undefined && length > 0 && length <= limitBytes;
    if (!plain) return general(req, res, next);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => void chunks.push(chunk));
    // Node's parser ends the body after Content-Length bytes: 'end' means it is whole, and a client
    // gone before that is an 'error' (or no event at all: the response's 'close' ends the request).
    req.once('end', () => {
      const text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8');
      let body: unknown;
      try {
        body = parseStrict(text);
      } catch {
        return next(Object.assign(new Error('The request body is not valid JSON.'), { status: 400, type: 'entity.parse.failed' }));
      }
      req.body = body;
      next();
    });
    // As body-parser reports it: a client's doing (400, not logged as the server's fault), though
    // nobody is left to hear the answer.
    req.once('error', (err) => next(Object.assign(new Error('The request was aborted.'), { status: 400, type: 'request.aborted', cause: err })));
  };
}

/** `application/json`, with no charset or UTF-8 (the only one JSON may be sent in, RFC 8259). */
function isPlainJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.toLowerCase().replace(/\s+/g, '');
  return type === 'application/json' || type === 'application/json;charset=utf-8';
}

/** JSON.parse, refusing what body-parser's strict mode refuses: a body that is not an object or an array. */
function parseStrict(text: string): unknown {
  const first = /^[\s\uFEFF]*(.)/.exec(text)?.[1];
  if (first !== '{' && first !== '[') throw new SyntaxError('not an object or an array');
  return JSON.parse(text);
}
