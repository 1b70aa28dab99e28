/** This package's name and version, as the instrumentation scope of the spans it creates. */
export const SDK_NAME = '@tracecheck/sdk';
export const SDK_VERSION = '0.1.0';
