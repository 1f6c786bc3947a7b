// Node 20 lacks Promise.withResolvers (Node 22+), which aws-local-stepfunctions uses for task timeouts.
// Load with: node --import ./with-resolvers.mjs ...
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve, reject;
    const promise = new this((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
}
