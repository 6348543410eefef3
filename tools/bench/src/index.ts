/** The benchmark harness: define suites in `packages/<pkg>/bench/<suite>.bench.ts`. */
export {
  type BenchArgs,
  type BenchOp,
  type BenchRow,
  defineSuite,
  type LinkName,
  type OpContext,
  type OpReport,
  type PartyRole,
  type Suite,
} from './suite.js';
