#!/usr/bin/env node
// The faultline command: the program in program.ts, run on this process's arguments.
import { runCli } from './program.js';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: Error) => {
    process.stderr.write(`error: ${e.message}\n`);
    process.exitCode = 2;
  },
);
