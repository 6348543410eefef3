/**
 * What a benchmark suite is: named ops, each a function both parties run with their own
 * channel. An op does its setup, then calls `measure` once around the part being timed;
 * time, bytes and rounds are taken inside `measure` only.
 */
import type { Channel, LinkPreset } from '@secinfer/transport';

export type PartyRole = 'server' | 'client';

/** `none`, or one of the transport's named link presets. */
export type LinkName = 'none' | LinkPreset;

/** Command-line parameters, as every op receives them. */
export interface BenchArgs {
  /** --n, or undefined for the op's default. */
  n: number | undefined;
  /** --ell, or undefined for the op's default. */
  ell: number | undefined;
  threads: number;
  link: LinkName;
  /** --model, for suites that run whole networks. */
  model?: string;
  /** --backend (ot, he, he-field, or auto: per layer), for suites with more than one. */
  backend?: 'ot' | 'he' | 'he-field' | 'auto';
  /** --ot: where the protocols' OTs come from (IKNP/KK13 extension, or Ferret silent OT). */
  ot?: 'iknp' | 'silent';
}

export interface OpContext {
  role: PartyRole;
  channel: Channel;
  args: BenchArgs;
  /** Times `fn` between a barrier of both parties and its end; call exactly once. */
  measure<T>(fn: () => Promise<T>): Promise<T>;
}

/** What an op may report beyond the harness's own measurements. */
export interface OpReport {
  /** Elements (OTs, ReLUs, messages, ...) processed in the timed section. */
  n: number;
  /** The bit width the op ran at, when it has one. */
  ell?: number;
  /** Bytes that did not pass through the channel (e.g. a raw-socket ceiling), both directions. */
  bytes?: number;
  /** Extra numeric figures for the row (e.g. peakRssMiB). */
  extra?: Record<string, number>;
  /** Extra text fields for the row (e.g. the OT source an `auto` session chose). */
  labels?: Record<string, string>;
}

export interface BenchOp {
  name: string;
  /** Whether the op honours --threads > 1. */
  threads?: boolean;
  run(ctx: OpContext): Promise<OpReport>;
}

export interface Suite {
  name: string;
  ops: BenchOp[];
}

export function defineSuite(suite: Suite): Suite {
  return suite;
}

/** One result row, as printed by `pnpm bench --json`. */
export interface BenchRow {
  suite: string;
  op: string;
  n: number;
  ell: number | null;
  threads: number;
  link: LinkName;
  seconds: number;
  bytes: number;
  rounds: number;
  [extra: string]: string | number | null;
}
