/**
 * Vitest global setup (`@tracecheck/vitest/global-setup`; the plugin adds it): once per test run,
 * in Vitest's main process, it embeds a receiver on free ports (or uses `url` / `TRACECHECK_URL`, as
 * under `tracecheck run`), starts the services in order pointed at it, serves their logs to the
 * workers, and hands the workers the receiver's URL, the token and the check defaults with
 * `project.provide('tracecheck', ...)`. The function it returns stops what it started.
 */
import { type Receiver, startReceiver } from '@tracecheck/receiver';
import type { TestProject } from 'vitest/node';
import { type LogServer, startLogServer } from './log-server.js';
import { type ProvidedRun, type ResolvedOptions, resolveOptions } from './options.js';
import './provided.js';
import { type RunningService, startService, stopServices } from './services.js';

/** The variables that point a service at the receiver (the CLI's `tracecheck run` sets the same). */
export function receiverEnv(url: string, token: string | undefined, receiver: Receiver | undefined, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const protocol = env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
  let endpoint = url;
  if (protocol === 'grpc') endpoint = receiver?.grpcAddress !== undefined ? `http://${receiver.grpcAddress}` : (env.OTEL_EXPORTER_OTLP_ENDPOINT ?? url);
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    OTEL_BSP_SCHEDULE_DELAY: env.OTEL_BSP_SCHEDULE_DELAY ?? '20',
    TRACECHECK_EXPORT_DELAY: env.TRACECHECK_EXPORT_DELAY ?? '0',
    TRACECHECK_URL: url,
    ...(token === undefined ? {} : { TRACECHECK_TOKEN: token, OTEL_EXPORTER_OTLP_HEADERS: withAuthorization(env.OTEL_EXPORTER_OTLP_HEADERS, token) }),
  };
}

function withAuthorization(headers: string | undefined, token: string): string {
  const others = (headers ?? '').split(',').filter((p) => p.trim() !== '' && !/^\s*authorization\s*=/i.test(p));
  return [...others, `Authorization=${encodeURIComponent(`Bearer ${token}`)}`].join(',');
}

/** Options when the global setup is listed by hand, without the plugin: defaults and the environment. */
function configOf(project: TestProject): ResolvedOptions {
  return project.getProvidedContext().tracecheckConfig ?? resolveOptions({});
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const config = configOf(project);
  const token = config.token ?? (process.env.TRACECHECK_TOKEN || undefined);
  const external = config.url ?? (process.env.TRACECHECK_URL || undefined);
  let receiver: Receiver | undefined;
  const services: RunningService[] = [];
  let logServer: LogServer | undefined;

  const teardown = async (): Promise<void> => {
    const errors: unknown[] = [];
    await stopServices(services).catch((e: unknown) => errors.push(e));
    await logServer?.close().catch((e: unknown) => errors.push(e));
    await receiver?.stop().catch((e: unknown) => errors.push(e));
    if (errors.length > 0) throw new AggregateError(errors, 'tracecheck: stopping the test run’s receiver and services failed');
  };

  try {
    let url: string;
    if (external !== undefined) url = external.replace(/\/+$/, '');
    else {
      receiver = await startReceiver({ ...config.receiver, ...(token === undefined ? {} : { token }) });
      url = receiver.httpUrl;
    }
    const env = receiverEnv(url, token, receiver);
    for (const service of config.services) services.push(await startService(service, env, { cwd: project.config.root, keepBytes: config.serviceLogs.keepBytes }));
    if (services.length > 0) logServer = await startLogServer(services, config.serviceLogs.showBytes);

    const provided: ProvidedRun = {
      url,
      ...(token === undefined ? {} : { token }),
      defaults: config.defaults,
      keepRuns: config.keepRuns ?? receiver === undefined,
      annotate: config.annotate,
      ...(config.snapshot === undefined ? {} : { snapshot: config.snapshot }),
      ...(config.testTimeout === undefined ? {} : { testTimeout: config.testTimeout }),
      ...(logServer === undefined ? {} : { logs: { url: logServer.url, token: logServer.token, showBytes: config.serviceLogs.showBytes, onEveryFailure: config.serviceLogs.onEveryFailure } }),
    };
    project.provide('tracecheck', provided);
  } catch (err) {
    await teardown().catch(() => {});
    throw err;
  }
  return teardown;
}
