export type ProcessName = 'web' | 'api' | 'worker' | 'queue' | 'payments' | 'email' | 'crm' | 'warehouse' | 'notifier' | 'analytics' | 'flags';

export interface ShopProcess {
  name: ProcessName;
  /** Arguments for `node`, run in the shop's folder. */
  argv: string[];
  /** The same as a shell command. */
  command: string;
  /** Ready when a GET answers below 500. */
  health: string;
  env: Record<string, string>;
}

export interface RunningStack {
  urls: Record<ProcessName, string>;
  logs(): Record<string, string>;
  stop(): Promise<void>;
}

export const SHOP_DIR: string;
export const SANDBOXES: ProcessName[];
export const SERVICES: ProcessName[];
export function ports(env?: NodeJS.ProcessEnv): Record<ProcessName, number>;
export function urls(env?: NodeJS.ProcessEnv): Record<ProcessName, string>;
export function processes(env?: NodeJS.ProcessEnv): ShopProcess[];
export function freePortsEnv(names?: ProcessName[]): Promise<Record<string, string>>;
export function receiverEnv(url: string): Record<string, string>;
export function startStack(options?: { names?: ProcessName[]; env?: Record<string, string>; timeoutMs?: number; log?: (name: string, text: string) => void }): Promise<RunningStack>;
