import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { createLogger, requestLogOf, requestScope } from '../../server/src/http/logging';

describe('the process logger', () => {
  const lines: string[] = [];
  const log = createLogger('info', { write: (line: string) => void lines.push(line) });

  /** Runs `work` as requestScope runs the rest of a request, handing it the request's response. */
  function duringRequest(requestId: string, work: (res: Response) => void) {
    const req = { get: () => requestId, originalUrl: '/graphql', method: 'POST' } as unknown as Request;
    const res = Object.assign(new EventEmitter(), { locals: {}, setHeader: () => undefined, statusCode: 200, writableFinished: true }) as unknown as Response;
    requestScope(log)(req, res, () => work(res));
  }

  it("gives each request a logger stamping its id on every line, once, and none outside it", () => {
    lines.length = 0;
    duringRequest('rid-1', (res) => {
      requestLogOf(res).info('from the request logger');
      requestLogOf(res).info('again from it');
    });
    log.info('outside any request');
    const [first, second, outside] = lines;
    expect(JSON.parse(first)).toMatchObject({ requestId: 'rid-1', msg: 'from the request logger' });
    expect(second.match(/"requestId"/g)).toHaveLength(1);
    expect(JSON.parse(outside).requestId).toBeUndefined();
  });

  it('redacts credentials, headers, variables and quoted database values', () => {
    lines.length = 0;
    log.error(
      { authorization: 'Bearer abc', token: 'abc', headers: { authorization: 'Bearer abc' }, variables: { name: 'Jo Bloggs' }, err: { message: 'duplicate key', detail: 'Key (name)=(Jo Bloggs) already exists.' } },
      'failed',
    );
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({ authorization: '[redacted]', token: '[redacted]', headers: '[redacted]', variables: '[redacted]', err: { detail: '[redacted]' } });
    expect(lines[0]).not.toMatch(/abc|Bloggs/);
  });
});
