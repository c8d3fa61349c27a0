#!/usr/bin/env node
import { runAsProcess } from './process-signals.js';

// No top-level await: the bin is also built as CommonJS.
void runAsProcess(process.argv.slice(2));
