/** An option or environment variable given to the SDK has a value it cannot use. */
export class SdkConfigError extends Error {
  readonly code = 'SDK_CONFIG';
  constructor(
    readonly setting: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`${setting}: ${JSON.stringify(value)} is not ${expected}`);
    this.name = 'SdkConfigError';
  }
}
