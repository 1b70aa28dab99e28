export interface LoadResult {
  sent: number;
  received: number;
  lost: number;
  seconds: number;
  refusedFull: number;
  maxEventLoopDelayMs: number | undefined;
  peakRssBytes: number | undefined;
  problems: string[];
}
export function runLoad(options?: { processes?: number; runs?: number; spans?: number; protocols?: string[]; maxMemory?: string; timeoutMs?: number; log?: (line: string) => void }): Promise<LoadResult>;
