/** All evaluation cases transcribed from Tempo's tests, by source file. */
import { astExecuteArrayCases } from './ast-execute-arrays.js';
import { astExecuteCases } from './ast-execute.js';
import { blockTraceqlCases } from './block-traceql.js';
import { tempodbDurationCases } from './tempodb-duration.js';
import { tempodbSearchCases } from './tempodb-search.js';
import { tempodbStructuralCases } from './tempodb-structural.js';
import type { EvalCase } from './types.js';

export const tempoEvalCases: readonly EvalCase[] = [...astExecuteCases, ...astExecuteArrayCases, ...blockTraceqlCases, ...tempodbSearchCases, ...tempodbStructuralCases, ...tempodbDurationCases];
