import { tracecheck } from '@tracecheck/vitest/plugin';
import { defineConfig } from 'vitest/config';

const apiPort = process.env.SHOP_API_PORT ?? '3710';
const providerPort = process.env.SHOP_PROVIDER_PORT ?? '3711';
const api = `http://127.0.0.1:${apiPort}`;
const provider = `http://127.0.0.1:${providerPort}`;

export default defineConfig({
  plugins: [
    tracecheck({
      timeout: '5s',
      services: [
        { name: 'provider', command: 'node provider.mjs', port: Number(providerPort), env: { PORT: providerPort } },
        {
          name: 'api',
          command: 'node --import @tracecheck/sdk/register api.mjs',
          url: `${api}/health`,
          env: { PORT: apiPort, PROVIDER_URL: provider, OTEL_SERVICE_NAME: 'api' },
        },
        {
          name: 'worker',
          command: 'node --import @tracecheck/sdk/register worker.mjs',
          env: { API_URL: api, PROVIDER_URL: provider, OTEL_SERVICE_NAME: 'worker' },
        },
      ],
    }),
  ],
  test: {
    include: ['tests/**/*.test.ts'],
    // The effect-snapshot tests run when asked (SHOP_SNAPSHOTS=1), storing their snapshots where the caller says.
    exclude: process.env.SHOP_SNAPSHOTS === '1' ? [] : ['tests/effects/**'],
    ...(process.env.SHOP_SNAPSHOT_DIR ? { resolveSnapshotPath: (testPath: string, ext: string) => `${process.env.SHOP_SNAPSHOT_DIR}/${testPath.split('/').at(-1)}${ext}` } : {}),
  },
});
