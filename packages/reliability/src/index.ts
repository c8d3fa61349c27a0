export * from './faults/index.js';
