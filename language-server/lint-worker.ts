/**
 * Worker-thread entry for `heapscope lint` on many files: lints the slice of files it is given
 * with the same code as the main thread and posts the report back. Built as dist/lint-worker.js
 * (and out/language-server/lint-worker.js), next to the code that starts it.
 */
import { parentPort, workerData } from 'worker_threads';
import { lintFiles, type LintOptions } from './lint';

const { files, options } = workerData as { files: string[]; options: LintOptions };
parentPort?.postMessage(lintFiles(files, options));
