import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { createLogger, requestScope } from '../../server/src/http/logging';

describe('the process logger', () => {
  const lines: string[] = [];
  const log = createLogger('info', { write: (line: string) => void lines.push(line) });

  /** Runs `work` as requestScope runs the rest of a request. */
  function duringRequest(requestId: string, work: () => void) {
    const req = { get: () => requestId, originalUrl: '/graphql', method: 'POST' } as unknown as Request;
    const res = Object.assign(new EventEmitter(), { locals: {}, setHeader: () => undefined, statusCode: 200, writableFinished: true }) as unknown as Response;
    requestScope(log)(req, res, work);
  }

  it('stamps the request id on lines written anywhere during the request, once', () => {
    lines.length = 0;
    duringRequest('rid-1', () => {
      log.info('from the root logger');
      log.child({ requestId: 'rid-1', userId: 'u-1' }).info('from a request logger');
    });
    log.info('outside any request');
    const [root, child, outside] = lines;
    expect(JSON.parse(root)).toMatchObject({ requestId: 'rid-1', msg: 'from the root logger' });
    expect(child.match(/"requestId"/g)).toHaveLength(1);
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
