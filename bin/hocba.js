#!/usr/bin/env node
// Entry point of the `hocba` command: registers tsx so the TypeScript sources run
// directly on Node 20 (no build step for the server), then hands over to the CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
