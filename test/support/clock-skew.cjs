// Preloaded into a server process (NODE_OPTIONS=--require) to give it a clock CLOCK_SKEW_MS away
// from the machine's, as an instance on a host whose clock drifted would have.
const skew = Number(process.env.CLOCK_SKEW_MS ?? 0);
const RealDate = Date;
class SkewedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + skew);
    else super(...args);
  }
  static now() {
    return RealDate.now() + skew;
  }
}
globalThis.Date = SkewedDate;
