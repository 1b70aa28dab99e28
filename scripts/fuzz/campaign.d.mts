// Types of campaign.mjs, for the TypeScript tests that import it.
import type { ChildProcess } from 'node:child_process';
export interface CampaignOptions {
  seed?: number;
  inputs?: number;
  only?: number;
  concurrency?: number;
  maxSeconds?: number;
  maxMemory?: string;
  maxInFlight?: string;
  /** The peak RSS allowed (default: rssBound of the cap and the in-flight budget). */
  boundBytes?: number;
  /** How long /healthz may take (default 1000 ms). */
  healthMs?: number;
  log?: (index: number, input: { kind: string; note: string }, code: string, rss: number | undefined) => void;
}
export interface CampaignResult {
  seed: number;
  tried: number;
  seconds: number;
  codes: Record<string, number>;
  worstHealthMs: number;
  healthChecks: number;
  worstStall: { ms: number; index?: number; kind?: string; note?: string };
  peakRssBytes: number | undefined;
  boundBytes: number;
  stats: { maxEventLoopDelayMs?: number; requests: Record<string, number>; limited: Record<string, number> } | undefined;
  violations: { what: string; seed?: number; index?: number; kind?: string; note?: string }[];
}
export function runCampaign(options?: CampaignOptions): Promise<CampaignResult>;
export function peakRss(pid: number): number | undefined;
export function mb(bytes: number): string;
export function startReceiverProcess(args?: string[]): {
  child: ChildProcess;
  ready: Promise<{ http: string; grpc: string }>;
  exited: Promise<{ code: number | null; signal: string | null }>;
  stderr(): string;
};
export function rssBound(capBytes: number, inFlightBytes: number): number;
