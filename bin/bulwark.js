#!/usr/bin/env node
// Runs the built CLI; `npm install` builds it (the "prepare" script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const entry = fileURLToPath(new URL('../dist/cli/bulwark.js', import.meta.url));
if (!existsSync(entry)) {
  console.error('Bulwark is not built yet: run `npm run build` (npm install does it for you).');
  process.exit(1);
}
await import(entry);
