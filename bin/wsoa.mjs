#!/usr/bin/env node
// The wsoa command. The pipeline is TypeScript, run through tsx's loader so that a
// clone works after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../pipeline/cli.ts');
process.exitCode = await main(process.argv);
