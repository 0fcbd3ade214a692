import type { RequestHandler } from 'express';

/**
 * Refuses batched requests (a JSON array of operations) with a clear message: one request could
 * otherwise carry any number of operations past the per-request limits and the rate limit.
 * Apollo Server refuses them too (allowBatchedHttpRequests: false), with a terser message.
 */
export function refuseBatches(): RequestHandler {
  return (req, res, next) => {
    if (!Array.isArray(req.body)) return next();
    res.status(400).json({
      errors: [
        {
          message: 'Batched requests are not accepted: send one operation per request.',
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
  };
}
